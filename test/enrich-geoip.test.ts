import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { AsnTable, buildAsnTable, numberWords } from '../src/enrich/asn-table.js';
import { Enricher } from '../src/enrich/enricher.js';
import { databaseKind, openDatabase } from '../src/enrich/geoip.js';
import { normalize, type JizoDocument } from '../src/index.js';
import { writeMmdb } from './helpers/mmdb-writer.js';

const dir = mkdtempSync(join(tmpdir(), 'jizo-geoip-'));
const file = (name: string, data: Buffer | string) => {
  const f = join(dir, name);
  writeFileSync(f, data);
  return f;
};
// 81.2.69.0/24 and 2a02:c7f::/32 stand for public networks of a user's own databases.
const CITY = file('city.mmdb', writeMmdb('GeoIP2-City', {
  '81.2.69.0/24': {
    city: { names: { en: 'London' } },
    continent: { code: 'EU', names: { en: 'Europe' } },
    country: { iso_code: 'GB', names: { en: 'United Kingdom' } },
    location: { latitude: 51.5142, longitude: -0.0931, time_zone: 'Europe/London' },
    postal: { code: 'EC2V' },
    subdivisions: [{ iso_code: 'ENG', names: { en: 'England' } }],
  },
}));
const COUNTRY = file('country.mmdb', writeMmdb('GeoLite2-Country', { '2a02:c7f::/32': { country: { iso_code: 'GB' } } }));
const ASN = file('asn.mmdb', writeMmdb('GeoLite2-ASN', { '81.2.69.0/24': { autonomous_system_number: 20712, autonomous_system_organization: 'Andrews & Arnold Ltd' } }));

function flow(src: string, dst: string): string {
  return JSON.stringify({ timestamp: '2024-06-27T12:00:00Z', event_type: 'flow', src_ip: src, src_port: 5000, dest_ip: dst, dest_port: 53, proto: 'UDP' });
}
function doc(line: string, options: Parameters<typeof normalize>[1]): JizoDocument {
  const r = normalize(line, options);
  assert.ok(r.ok);
  return r.document;
}

describe('GeoIP and ASN', () => {
  it('tells City, Country and ASN databases apart by their metadata', () => {
    assert.equal(openDatabase(CITY).kind, 'city');
    assert.equal(openDatabase(COUNTRY).kind, 'country');
    assert.equal(openDatabase(ASN).kind, 'asn');
    assert.equal(databaseKind('DBIP-City-Lite'), 'city');
    assert.equal(databaseKind('country ipvAll'), 'country');
    assert.equal(databaseKind('GeoIP2-Anonymous-IP'), undefined);
    const other = file('other.mmdb', writeMmdb('GeoIP2-Anonymous-IP', { '81.2.69.0/24': { is_anonymous: true } }));
    assert.throws(() => openDatabase(other), /neither a City, Country nor ASN database/);
  });

  it("fills the City fields from a user's database, AS from an ASN one, and country names where the record has none", () => {
    const d = doc(flow('81.2.69.142', '2a02:c7f:1::1'), { profile: 'ecs', geoip: { databases: [CITY, COUNTRY, ASN] } });
    assert.deepEqual(d.source!.geo, {
      country_iso_code: 'GB', country_name: 'United Kingdom', continent_code: 'EU', continent_name: 'Europe', region_name: 'England',
      region_iso_code: 'GB-ENG', city_name: 'London', postal_code: 'EC2V', location: { lat: 51.5142, lon: -0.0931 }, timezone: 'Europe/London',
    });
    assert.deepEqual(d.source!.as, { number: 20712, organization: { name: 'Andrews & Arnold Ltd' } });
    assert.deepEqual(d.destination!.geo, { country_iso_code: 'GB', country_name: 'United Kingdom', continent_code: 'EU', continent_name: 'Europe' });
    assert.equal(d.destination!.as, undefined);
  });

  it('gives 8.8.8.8 and 1.1.1.1 their country and AS from the embedded data, and private addresses nothing', () => {
    const d = doc(flow('8.8.8.8', '1.1.1.1'), { profile: 'ecs', geoip: true });
    assert.equal((d.source!.geo as { country_iso_code: string }).country_iso_code, 'US');
    assert.equal((d.source!.as as { number: number }).number, 15169);
    assert.equal((d.destination!.as as { number: number }).number, 13335);
    const v6 = doc(flow('2001:4860:4860::8888', '2606:4700:4700::1111'), { profile: 'ecs', geoip: true });
    assert.equal((v6.source!.as as { number: number }).number, 15169);
    assert.equal((v6.destination!.as as { number: number }).number, 13335);
    for (const ip of ['10.0.0.1', '192.168.1.1', '127.0.0.1', '169.254.1.1', '224.0.0.251', '192.0.2.1', '2001:db8::1', 'fe80::1', 'fd00::1', '100.64.0.1']) {
      const p = doc(flow(ip, ip), { profile: 'ecs', geoip: true });
      assert.equal(p.source!.geo, undefined, ip);
      assert.equal(p.source!.as, undefined, ip);
    }
  });

  it('counts lookups, cache hits, misses and addresses it skipped', () => {
    const e = new Enricher({ geoip: { databases: [CITY] } });
    const apply = (src: string, dst: string) => {
      const r = normalize(flow(src, dst), { profile: 'ecs' });
      assert.ok(r.ok);
      e.apply(r.document, JSON.parse(flow(src, dst)));
    };
    apply('81.2.69.1', '10.0.0.1');
    apply('81.2.69.1', '8.8.8.8');
    apply('81.2.69.1', '8.8.8.8');
    assert.deepEqual(e.takeStats().geoip, { lookups: 5, cacheHits: 3, misses: 2, skipped: 1 });
    assert.deepEqual(e.stats.geoip, { lookups: 0, cacheHits: 0, misses: 0, skipped: 0 });
  });

  it('says which database is missing or corrupt when loading, and keeps the old ones when a reload fails', () => {
    assert.throws(() => new Enricher({ geoip: { databases: [join(dir, 'none.mmdb')] } }), /GeoIP database .*none\.mmdb: ENOENT/);
    const bad = file('bad.mmdb', 'not a database');
    assert.throws(() => new Enricher({ geoip: { databases: [bad] } }), /bad\.mmdb: not a MaxMind DB file/);
    const swap = file('swap.mmdb', writeMmdb('GeoLite2-ASN', { '81.2.69.0/24': { autonomous_system_number: 1 } }));
    const e = new Enricher({ geoip: { databases: [swap] } });
    writeFileSync(swap, writeMmdb('GeoLite2-ASN', { '81.2.69.0/24': { autonomous_system_number: 2 } }));
    e.reload();
    const d = doc(flow('81.2.69.1', '10.0.0.1'), { profile: 'ecs' });
    e.apply(d, {});
    assert.equal((d.source!.as as { number: number }).number, 2);
    writeFileSync(swap, 'broken');
    assert.throws(() => e.reload(), /swap\.mmdb/);
    const d2 = doc(flow('81.2.69.9', '10.0.0.1'), { profile: 'ecs' });
    e.apply(d2, {});
    assert.equal((d2.source!.as as { number: number }).number, 2);
  });

  it('builds and reads the compact ASN table (IPv4, IPv6, gaps, names)', () => {
    const row = (a: string, b: string, asn: number, name: string, v6 = false) => ({ start: numberWords(a, v6), end: numberWords(b, v6), asn, name });
    const t = new AsnTable(buildAsnTable(
      [row('16777472', '16777727', 2, 'Two'), row('16777216', '16777471', 13335, 'Cloudflare, Inc.')],
      [row('42541956101370907050197289607612071936', '42541956180599069564461627201156022271', 15169, 'Google LLC', true)],
    ));
    assert.deepEqual(t.lookup([1, 0, 0, 7]), { number: 13335, name: 'Cloudflare, Inc.' });
    assert.deepEqual(t.lookup([1, 0, 1, 255]), { number: 2, name: 'Two' });
    assert.equal(t.lookup([1, 0, 2, 0]), undefined);
    assert.equal(t.lookup([0, 255, 255, 255]), undefined);
    const g = [0x20, 0x01, 0x48, 0x60, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x88, 0x88];
    assert.deepEqual(t.lookup(g), { number: 15169, name: 'Google LLC' });
    assert.throws(() => new AsnTable(Buffer.alloc(64)), /not an ASN table/);
  });
});
