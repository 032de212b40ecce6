/**
 * Builds the embedded GeoIP data into dist/geo/ (run by `npm run build` after
 * `tsc`): nothing is downloaded, both sources are npm packages installed as
 * development dependencies, and the package ships the result.
 *
 * dist/geo/country.mmdb  IP -> country, a copy of geo-whois-asn-country.mmdb of
 *                        @ip-location-db/geo-whois-asn-country-mmdb (CC0 1.0)
 * dist/geo/asn.bin       IP -> AS number and organization, the ranges of
 *                        @ip-location-db/asn (CC BY 4.0: RouteViews, DB-IP, NRO)
 *                        in the compact table of src/enrich/asn-table.ts
 * dist/geo/sources.json  package names, versions and licences of both
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist/geo');
const require = createRequire(join(root, 'package.json'));
const { buildAsnTable, numberWords } = await import(pathToFileURL(join(root, 'dist/src/enrich/asn-table.js')).href);

function packageDir(name, resolve) {
  try {
    return dirname(resolve());
  } catch {
    throw new Error(`build-geo-data: the development dependency ${name} is not installed (npm ci)`);
  }
}

/** Rows of an `-num.csv` file: start,end,asn,"organization" (RFC 4180 quoting). */
function rows(file, ipv6) {
  const text = readFileSync(file, 'utf8');
  const out = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const a = line.indexOf(',');
    const b = line.indexOf(',', a + 1);
    const c = line.indexOf(',', b + 1);
    let name = line.slice(c + 1).replace(/\r$/, '');
    if (name.startsWith('"')) name = name.slice(1, -1).replaceAll('""', '"');
    const asn = Number(line.slice(b + 1, c));
    if (!Number.isSafeInteger(asn) || c < 0) throw new Error(`build-geo-data: ${file}: cannot read ${JSON.stringify(line)}`);
    out.push({ start: numberWords(line.slice(0, a), ipv6), end: numberWords(line.slice(a + 1, b), ipv6), asn, name });
  }
  return out;
}

mkdirSync(out, { recursive: true });
const asnDir = packageDir('@ip-location-db/asn', () => require.resolve('@ip-location-db/asn/package.json'));
const countryDir = packageDir('@ip-location-db/geo-whois-asn-country-mmdb', () => require.resolve('@ip-location-db/geo-whois-asn-country-mmdb/package.json'));
const table = buildAsnTable(rows(join(asnDir, 'asn-ipv4-num.csv'), false), rows(join(asnDir, 'asn-ipv6-num.csv'), true));
writeFileSync(join(out, 'asn.bin'), table);
copyFileSync(join(countryDir, 'geo-whois-asn-country.mmdb'), join(out, 'country.mmdb'));
const version = (dir) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version;
const sources = {
  'country.mmdb': { package: '@ip-location-db/geo-whois-asn-country-mmdb', version: version(countryDir), license: 'CC0-1.0' },
  'asn.bin': {
    package: '@ip-location-db/asn',
    version: version(asnDir),
    license: 'CC-BY-4.0',
    attribution: 'RouteViews (routeviews.org), DB-IP (db-ip.com), NRO (nro.net)',
  },
};
writeFileSync(join(out, 'sources.json'), JSON.stringify(sources, null, 2) + '\n');
