/**
 * Fields added by the enrichment (docs/enrichment.md), in every profile but
 * only when asked for: geo and AS of the four endpoint field sets,
 * network.direction, network.community_id (computed when the sensor gave
 * none). ECS: ecs-geo.html, ecs-as.html, ecs-network.html.
 */
import type { FieldDef } from '../types.js';

const SIDES = ['client', 'destination', 'server', 'source'] as const;

function sideFields(side: string): FieldDef[] {
  const g = `${side}.geo`;
  return [
    { name: `${side}.as.number`, type: 'long', description: `AS number of ${side}.ip (enrichment: --geoip).` },
    { name: `${side}.as.organization.name`, type: 'keyword', description: `AS organization of ${side}.ip (enrichment: --geoip).` },
    { name: `${g}.city_name`, type: 'keyword', description: `City of ${side}.ip (a City database of your own).` },
    { name: `${g}.continent_code`, type: 'keyword', description: `Continent code of ${side}.ip (enrichment: --geoip).` },
    { name: `${g}.continent_name`, type: 'keyword', description: `Continent of ${side}.ip (enrichment: --geoip).` },
    { name: `${g}.country_iso_code`, type: 'keyword', description: `ISO 3166 country code of ${side}.ip (enrichment: --geoip).` },
    { name: `${g}.country_name`, type: 'keyword', description: `Country of ${side}.ip (enrichment: --geoip).` },
    { name: `${g}.location`, type: 'geo_point', description: `Location of ${side}.ip, {lat, lon} (a City database of your own).` },
    { name: `${g}.postal_code`, type: 'keyword', description: `Postal code of ${side}.ip (a City database of your own).` },
    { name: `${g}.region_iso_code`, type: 'keyword', description: `Region code of ${side}.ip, country-subdivision (a City database of your own).` },
    { name: `${g}.region_name`, type: 'keyword', description: `Region of ${side}.ip (a City database of your own).` },
    { name: `${g}.timezone`, type: 'keyword', description: `Time zone of ${side}.ip (a City database of your own).` },
  ];
}

export const ENRICH_FIELDS: readonly FieldDef[] = [
  ...SIDES.flatMap(sideFields),
  { name: 'network.community_id', type: 'keyword', description: 'Community ID flow hash given by the sensor, or computed (enrichment: --community-id).' },
  { name: 'network.direction', type: 'keyword', description: 'inbound, outbound, internal or external, from the internal networks (enrichment: --internal-networks).' },
];
