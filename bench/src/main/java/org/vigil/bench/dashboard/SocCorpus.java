package org.vigil.bench.dashboard;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.vigil.model.Alert;
import org.vigil.model.AlertStatus;
import org.vigil.model.Documents;
import org.vigil.model.Resolution;
import org.vigil.model.Severity;

/**
 * A week of a provincial SOC's data for measuring the dashboard: events of several agencies (SSH
 * logins, NetFlow, web, DNS and firewall denies, in roughly the proportions a government network
 * sends) and alerts over them in every triage state. Deterministic for a seed, so two runs measure
 * the same data.
 *
 * @param agencies how many agencies ({@code agency-01}...); they send unequal shares, as real
 *     agencies do
 * @param endMillis the newest event time; events spread over {@code spanMillis} before it
 */
public record SocCorpus(long seed, int agencies, long endMillis, long spanMillis) {

  private static final String[] USERS = {
    "root", "admin", "nguyenvana", "tranthib", "lethic", "phamvand", "hoangthie", "backup", "oracle"
  };
  private static final String[] DOMAINS = {
    "portal.gov.example", "mail.gov.example", "update.vendor.example", "cdn.example.net"
  };

  /** The rules the generated alerts come from. */
  public static final List<String> RULE_IDS =
      List.of(
          "auth-brute-force", "auth-password-spray", "net-port-scan", "intel-ip-match", "web-sqli");

  /** How many distinct external addresses the events and alerts use. */
  public static final int EXTERNAL_ADDRESSES = 20_000;

  public SocCorpus {
    if (agencies < 1 || agencies > 99) {
      throw new IllegalArgumentException("agencies must be 1..99: " + agencies);
    }
    if (spanMillis <= 0) {
      throw new IllegalArgumentException("the corpus needs a positive time span");
    }
  }

  public static String agency(int index) {
    return String.format("agency-%02d", index + 1);
  }

  /** The document id of event {@code n}; alerts cite events by it. */
  public static String eventId(long n) {
    return "bench-ev-" + n;
  }

  /** Event {@code n} as the document the correlation job would index (nested ECS objects). */
  public Map<String, Object> event(long n) {
    SplittableRandom r = new SplittableRandom(seed ^ (n * 0x9E3779B97F4A7C15L));
    long time = endMillis - r.nextLong(spanMillis);
    int agency = skewedAgency(r);
    String org = agency(agency);
    String dst = "10." + (agency + 1) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254));
    String src = externalAddress(r);
    Map<String, Object> flat = new LinkedHashMap<>();
    flat.put("@timestamp", Documents.isoTime(time));
    flat.put("organization.id", org);
    flat.put("observer.ip", "10." + (agency + 1) + ".0.1");
    flat.put("event.kind", "event");
    int kind = r.nextInt(100);
    if (kind < 40) {
      boolean failed = r.nextInt(5) == 0;
      String user = USERS[r.nextInt(USERS.length)];
      int port = 1024 + r.nextInt(60000);
      flat.put("event.dataset", "system.auth");
      flat.put("event.category", List.of("authentication"));
      flat.put("event.outcome", failed ? "failure" : "success");
      flat.put("event.action", failed ? "ssh_login_failed" : "ssh_login");
      flat.put("source.ip", src);
      flat.put("source.port", port);
      flat.put("destination.ip", dst);
      flat.put("user.name", user);
      flat.put("host.name", "srv-" + org + "-" + r.nextInt(40));
      flat.put("process.name", "sshd");
      flat.put(
          "message",
          (failed ? "Failed password for " : "Accepted password for ")
              + user
              + " from "
              + src
              + " port "
              + port
              + " ssh2");
    } else if (kind < 65) {
      long bytes = 40 + (long) Math.pow(10, 2 + r.nextDouble() * 6);
      flat.put("event.dataset", "netflow");
      flat.put("event.category", List.of("network"));
      flat.put("source.ip", r.nextBoolean() ? src : dst);
      flat.put("destination.ip", r.nextBoolean() ? dst : externalAddress(r));
      flat.put("destination.port", new int[] {443, 80, 53, 22, 3389, 445}[r.nextInt(6)]);
      flat.put("source.bytes", bytes);
      flat.put("network.bytes", bytes);
      flat.put("network.packets", 1 + bytes / 900);
      flat.put("network.transport", r.nextInt(8) == 0 ? "udp" : "tcp");
      flat.put("message", "flow " + bytes + " bytes");
    } else if (kind < 80) {
      int status = new int[] {200, 200, 200, 301, 404, 403, 500}[r.nextInt(7)];
      String path =
          new String[] {"/", "/login", "/api/v1/records", "/wp-admin", "/search"}[r.nextInt(5)];
      flat.put("event.dataset", "nginx.access");
      flat.put("event.category", List.of("web"));
      flat.put("source.ip", src);
      flat.put("destination.ip", dst);
      flat.put("http.request.method", r.nextInt(5) == 0 ? "POST" : "GET");
      flat.put("http.response.status_code", status);
      flat.put("url.original", path);
      flat.put("message", "GET " + path + " " + status);
    } else if (kind < 90) {
      String domain = DOMAINS[r.nextInt(DOMAINS.length)];
      flat.put("event.dataset", "dns");
      flat.put("event.category", List.of("network"));
      flat.put("source.ip", dst);
      flat.put("dns.question.name", domain);
      flat.put("message", "query " + domain);
    } else {
      flat.put("event.dataset", "firewall");
      flat.put("event.category", List.of("network"));
      flat.put("event.action", "deny");
      flat.put("event.outcome", "failure");
      flat.put("source.ip", src);
      flat.put("destination.ip", dst);
      flat.put("destination.port", 1 + r.nextInt(65535));
      flat.put("message", "DENY tcp " + src + " -> " + dst);
    }
    return Documents.nest(flat);
  }

  /** Alert {@code n}, citing events of the corpus of {@code events} events as its evidence. */
  public Alert alert(long n, long events) {
    SplittableRandom r = new SplittableRandom(~seed ^ (n * 0xC2B2AE3D27D4EB4FL));
    long time = endMillis - r.nextLong(spanMillis);
    String org = agency(skewedAgency(r));
    String rule = RULE_IDS.get(r.nextInt(RULE_IDS.size()));
    Severity severity = Severity.values()[r.nextInt(Severity.values().length)];
    String src = externalAddress(r);
    Map<String, String> group = Map.of("source.ip", src);
    int count = 1 + (int) Math.pow(2, r.nextDouble() * 9);
    List<String> evidence = new ArrayList<>();
    for (int i = 0; i < Math.min(count, 10); i++) {
      evidence.add(eventId(r.nextLong(Math.max(1, events))));
    }
    int state = r.nextInt(10);
    AlertStatus status =
        state < 5
            ? AlertStatus.NEW
            : state < 6
                ? AlertStatus.ACKNOWLEDGED
                : state < 7 ? AlertStatus.IN_PROGRESS : AlertStatus.CLOSED;
    Resolution resolution =
        status == AlertStatus.CLOSED
            ? Resolution.values()[r.nextInt(Resolution.values().length)]
            : null;
    String assignee = status == AlertStatus.NEW ? null : USERS[2 + r.nextInt(4)];
    long first = time - r.nextLong(600_000);
    return new Alert(
        "bench-alert-" + n,
        rule,
        rule.replace('-', ' '),
        1,
        "bench",
        "generated for the dashboard benchmark",
        severity,
        "T1110",
        group,
        count,
        first,
        time,
        evidence,
        org,
        status,
        resolution,
        assignee,
        time,
        time,
        time,
        rule + " from " + src + " (" + count + " events)");
  }

  /** Agency {@code i} sends about twice as much as agency {@code i + 1}. */
  private int skewedAgency(SplittableRandom r) {
    for (int i = 0; i < agencies - 1; i++) {
      if (r.nextBoolean()) {
        return i;
      }
    }
    return agencies - 1;
  }

  /** A public-looking address; a few thousand of them recur, as scanners and users do. */
  private static String externalAddress(SplittableRandom r) {
    return externalAddress(r.nextInt(EXTERNAL_ADDRESSES));
  }

  /** External address {@code n} of the {@link #EXTERNAL_ADDRESSES} the corpus uses. */
  public static String externalAddress(int n) {
    return (100 + n % 100) + "." + (n / 100 % 200) + "." + (n % 250) + "." + (1 + n % 253);
  }
}
