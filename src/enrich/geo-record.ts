/**
 * MaxMind DB records to ECS `geo.*` and `as.*`. Two record shapes are read:
 * MaxMind's GeoIP2/GeoLite2 (`country.iso_code`, `country.names.en`,
 * `continent.code`, `subdivisions[0]`, `city.names.en`, `location.latitude`,
 * `location.time_zone`, `postal.code`; ASN: `autonomous_system_number`,
 * `autonomous_system_organization`), also written by DB-IP, and the flat one
 * of the ip-location-db databases (`country_code`, `state1`, `city`,
 * `latitude`, `longitude`, `timezone`, `postcode`). Country and continent
 * names missing from a record come from the `countries-list` package.
 * ECS: https://www.elastic.co/guide/en/ecs/current/ecs-geo.html and
 * ecs-as.html; region_iso_code is the country code and the subdivision code
 * joined by "-" ("CA-QC"), as Elasticsearch's geoip processor writes it.
 */
import { createRequire } from 'node:module';
import type { AsRecord } from './asn-table.js';

/** ECS geo fields of one address. */
export interface GeoFields {
  country_iso_code?: string;
  country_name?: string;
  continent_code?: string;
  continent_name?: string;
  region_iso_code?: string;
  region_name?: string;
  city_name?: string;
  postal_code?: string;
  location?: { lat: number; lon: number };
  timezone?: string;
}

interface CountriesList {
  countries: Record<string, { name: string; continent: string } | undefined>;
  continents: Record<string, string | undefined>;
}

const require = createRequire(import.meta.url);
let countries: CountriesList | undefined;
/** countries-list, loaded the first time a record lacks a name (it is a CommonJS build too: loaded synchronously). */
function countryData(): CountriesList {
  countries ??= require('countries-list') as CountriesList;
  return countries;
}

type Rec = Record<string, unknown>;
const obj = (v: unknown): Rec | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Rec) : undefined);
const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const en = (v: unknown): string | undefined => text(obj(obj(v)?.names)?.en);

/** The ECS geo fields of a City or Country record; undefined when it names no place. */
export function geoFields(r: Rec): GeoFields | undefined {
  const g: GeoFields = {};
  const country = obj(r.country) ?? obj(r.registered_country);
  const iso = text(country?.iso_code) ?? text(r.country_code);
  if (iso !== undefined) g.country_iso_code = iso;
  const continent = obj(r.continent);
  const cc = text(continent?.code);
  let countryName = en(country);
  let continentName = en(continent);
  let continentCode = cc;
  if (iso !== undefined && (countryName === undefined || continentCode === undefined)) {
    const known = countryData().countries[iso.toUpperCase()];
    countryName ??= known?.name;
    continentCode ??= known?.continent;
  }
  if (continentCode !== undefined) continentName ??= countryData().continents[continentCode];
  if (countryName !== undefined) g.country_name = countryName;
  if (continentCode !== undefined) g.continent_code = continentCode;
  if (continentName !== undefined) g.continent_name = continentName;
  const sub = Array.isArray(r.subdivisions) ? obj(r.subdivisions[0]) : undefined;
  const region = en(sub) ?? text(r.state1);
  if (region !== undefined) g.region_name = region;
  const subIso = text(sub?.iso_code);
  if (subIso !== undefined && iso !== undefined) g.region_iso_code = `${iso}-${subIso}`;
  const city = en(r.city) ?? text(r.city);
  if (city !== undefined) g.city_name = city;
  const postal = text(obj(r.postal)?.code) ?? text(r.postcode);
  if (postal !== undefined) g.postal_code = postal;
  const loc = obj(r.location);
  const lat = num(loc?.latitude) ?? num(r.latitude);
  const lon = num(loc?.longitude) ?? num(r.longitude);
  if (lat !== undefined && lon !== undefined && Math.abs(lat) <= 90 && Math.abs(lon) <= 180) g.location = { lat, lon };
  const tz = text(loc?.time_zone) ?? text(r.timezone);
  if (tz !== undefined) g.timezone = tz;
  return Object.keys(g).length > 0 ? g : undefined;
}

/** The AS of an ASN record; undefined without a number. */
export function asFields(r: Rec): AsRecord | undefined {
  const n = num(r.autonomous_system_number);
  if (n === undefined || !Number.isInteger(n) || n < 0) return undefined;
  return { number: n, name: text(r.autonomous_system_organization) };
}
