# The documented Jizo mapping (the `sekoia` profile) as a jq program: the
# jq baseline of the benchmark. Run with: jq -R -c -f sekoia.jq FILE
# As close as jq gets: IPs are not canonicalised, timestamps with an offset
# go through jq's whole-second date functions (fraction re-attached), and
# integers beyond 2^53 lose digits (jq 1.6 numbers are doubles).

def nn: with_entries(select(.value != null));

# RFC 3339 UTC, fractional digits kept as text.
def utc:
  if type != "string" then null
  else (capture("^(?<d>[0-9]{4}-[0-9]{2}-[0-9]{2})[T ](?<t>[0-9]{2}:[0-9]{2}:[0-9]{2})(?<f>[.,][0-9]+)?(?<o>[Zz]|[+-][0-9]{2}:?[0-9]{2})?$") // null) as $m
    | if $m == null then null
      else ($m.f // "" | sub(","; ".")) as $f
        | ($m.o // "Z") as $o
        | if ($o | test("^([Zz]|[+-]00:?00)$")) then "\($m.d)T\($m.t)\($f)Z"
          else ((("\($m.d)T\($m.t)Z" | fromdateiso8601)
                 - (($o[1:3] | tonumber) * 3600 + ($o[-2:] | tonumber) * 60) * (if $o[0:1] == "-" then -1 else 1 end))
                | todate | sub("Z$"; "\($f)Z"))
          end
      end
  end;

# [text, object] of a JSON text, or null.
def parsed: . as $t | (try [$t, fromjson] catch null);

. as $line
| ($line | parsed)
  // (($line | index("{")) as $i | if $i then ($line[$i:] | parsed) else null end)
| select(. != null and (.[1] | type) == "object")
| if .[1].event_type == null and .[1].timestamp == null and (.[1].message | type) == "string"
  then (.[1].message | parsed) else . end
| select(. != null and (.[1] | type) == "object")
| .[0] as $msg | .[1] as $e | ($e.alert // null) as $a | ($e.flow // null) as $f | ($e.http // null) as $h
| {
    message: $msg,
    event: ({action: $a.action, severity: $a.severity, category: ["network"],
             kind: (if $e.event_type == "alert" then "alert" else null end),
             start: ($f.start | utc), type: ["connection"]} | nn),
    "@timestamp": ($e.timestamp | utc),
    action: (if $a then {properties: ({category: $a.category, severity: ($a.metadata.signature_severity[0]?),
               signature: $a.signature, signature_id: ($a.signature_id | if . == null then null else tostring end)} | nn)}
             else null end),
    destination: ({address: $e.dest_ip, bytes: $f.bytes_toclient, ip: $e.dest_ip, packets: $f.pkts_toclient, port: $e.dest_port} | nn),
    host: (if $e.src_ip then {ip: $e.src_ip} else null end),
    jizo: (if $e.flow_id then {flow: {id: ($e.flow_id | tostring)}} else null end),
    network: ({protocol: $e.app_proto, transport: $e.proto} | nn),
    observer: (if $e.in_iface then {ingress: {interface: {name: $e.in_iface}}} else null end),
    related: {ip: ((if $e.src_ip == $e.dest_ip then [$e.src_ip] else [$e.src_ip, $e.dest_ip] end) | map(select(. != null)))},
    source: ({address: $e.src_ip, bytes: $f.bytes_toserver, ip: $e.src_ip, packets: $f.pkts_toserver, port: $e.src_port} | nn),
    http: (if $h then {response: ({bytes: $h.response_length, status_code: $h.status} | nn)} else null end),
    url: (if ($h.url | type) == "string"
          then ({original: $h.url, path: ($h.url | split("?")[0] | if . == "" then null else . end),
                 query: ($h.url | split("?")[1:] | join("?") | if . == "" then null else . end)} | nn)
          else null end)
  }
| nn
