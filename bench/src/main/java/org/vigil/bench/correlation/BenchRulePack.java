package org.vigil.bench.correlation;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The rules of {@code vigil bench correlation}: {@code count} DRL rules in four families that
 * exercise the engine the way a real pack does, spread over the datasets of {@link CorrelationLoad}
 * so that each event is routed to about two of them, as a production event meets one or two rules
 * of its source type:
 *
 * <ol>
 *   <li>threshold: failed logins per source address within a minute;
 *   <li>distinct count: distinct user names per source address within ten minutes (a spray);
 *   <li>distinct count: distinct destination ports per source and destination within a minute (a
 *       scan);
 *   <li>ordered sequence: failed logins, then a success from the same source within five minutes.
 * </ol>
 *
 * Rule {@code k} reads dataset {@code bench.d(k mod datasets)} and is of family {@code k mod 4}.
 * Each family is written as the shipped pack writes its kind of rule (auth.drl, network.drl): the
 * distinct counts in one accumulate, completed only by a value not yet seen in the window.
 */
public final class BenchRulePack {
  /** The ruleset name the bench deploys its rules under. */
  public static final String RULESET = "bench";

  private static final String HEADER =
      "package org.vigil.bench.rules;\n\n"
          + "import java.util.List;\n"
          + "import java.util.Set;\n"
          + "import org.vigil.model.Event;\n\n"
          + "global org.vigil.rules.engine.Detections detections;\n\n";

  private BenchRulePack() {}

  /**
   * DRL text by file name: one file with {@code count} rules.
   *
   * @param datasets how many datasets the rules share out, as {@link CorrelationLoad} generates
   */
  public static Map<String, String> generate(int count, int datasets) {
    if (count < 1 || datasets < 1) {
      throw new IllegalArgumentException(
          "the bench needs at least one rule and one dataset: " + count + ", " + datasets);
    }
    StringBuilder drl = new StringBuilder(HEADER);
    for (int k = 0; k < count; k++) {
      String dataset = CorrelationLoad.dataset(k % datasets);
      drl.append(
          switch (k % 4) {
            case 0 -> threshold(k, dataset, 5 + k % 7);
            case 1 -> distinctUsers(k, dataset);
            case 2 -> distinctPorts(k, dataset);
            default -> sequence(k, dataset);
          });
    }
    Map<String, String> files = new LinkedHashMap<>();
    files.put("bench.drl", drl.toString());
    return files;
  }

  private static String threshold(int k, String dataset, int n) {
    return String.format(
        Locale.ROOT,
        "rule \"bench %d: %d failed logins from one source within a minute\"\n"
            + "  @id(\"bench-%d\") @severity(\"high\") @technique(\"T1110\")\n"
            + "  @groupBy(\"source.ip\") @window(\"60s\") @suppress(\"10m\")\n"
            + "  @match(\"event.dataset=%s, event.outcome=failure\")\n"
            + "when\n"
            + "  $t : Event( $ip : sourceIp ) from entry-point \"arrivals\"\n"
            + "  $f : Set( size >= %d ) from collect( Event( sourceIp == $ip,"
            + " this before[0s, 60s] $t ) )\n"
            + "then\n"
            + "  detections.raise( $f );\n"
            + "end\n\n",
        k,
        n,
        k,
        dataset,
        n);
  }

  private static String distinctUsers(int k, String dataset) {
    return String.format(
        Locale.ROOT,
        "rule \"bench %d: ten user names from one source within ten minutes\"\n"
            + "  @id(\"bench-%d\") @severity(\"medium\") @technique(\"T1110.003\")\n"
            + "  @groupBy(\"source.ip\") @window(\"10m\") @suppress(\"1h\")\n"
            + "  @match(\"event.dataset=%s\")\n"
            + "when\n"
            + "  $t : Event( $ip : sourceIp, $name : userName ) from entry-point \"arrivals\"\n"
            + "  not Event( sourceIp == $ip, userName == $name, this before[1ms, 10m] $t )\n"
            + "  accumulate( $e : Event( sourceIp == $ip, this before[0s, 10m] $t,"
            + " $u : userName );\n"
            + "      $users : collectSet( $u ), $events : collectSet( $e );\n"
            + "      $users.size() >= 10 )\n"
            + "then\n"
            + "  detections.raise( $events );\n"
            + "end\n\n",
        k,
        k,
        dataset);
  }

  private static String distinctPorts(int k, String dataset) {
    return String.format(
        Locale.ROOT,
        "rule \"bench %d: twenty ports of one destination within a minute\"\n"
            + "  @id(\"bench-%d\") @severity(\"medium\") @technique(\"T1046\")\n"
            + "  @groupBy(\"source.ip, destination.ip\") @window(\"60s\") @suppress(\"1h\")\n"
            + "  @match(\"event.dataset=%s\")\n"
            + "when\n"
            + "  $t : Event( $ip : sourceIp, $dst : destinationIp,"
            + " $port : text(\"destination.port\") ) from entry-point \"arrivals\"\n"
            + "  not Event( sourceIp == $ip, destinationIp == $dst,"
            + " text(\"destination.port\") == $port, this before[1ms, 60s] $t )\n"
            + "  accumulate( $e : Event( sourceIp == $ip, destinationIp == $dst,"
            + " this before[0s, 60s] $t, $p : text(\"destination.port\") );\n"
            + "      $ports : collectSet( $p ), $events : collectSet( $e );\n"
            + "      $ports.size() >= 20 )\n"
            + "then\n"
            + "  detections.raise( $events );\n"
            + "end\n\n",
        k,
        k,
        dataset);
  }

  private static String sequence(int k, String dataset) {
    return String.format(
        Locale.ROOT,
        "rule \"bench %d: failed logins then a success from one source\"\n"
            + "  @id(\"bench-%d\") @severity(\"critical\") @technique(\"T1110\")\n"
            + "  @groupBy(\"source.ip\") @window(\"5m\") @suppress(\"1h\")\n"
            + "  @match(\"event.dataset=%s\")\n"
            + "when\n"
            + "  $s : Event( outcome == \"success\", $ip : sourceIp ) from entry-point"
            + " \"arrivals\"\n"
            + "  $f : Set( size >= 3 ) from collect( Event( outcome == \"failure\","
            + " sourceIp == $ip, this before[0s, 5m] $s ) )\n"
            + "then\n"
            + "  List<Object> evidence = new java.util.ArrayList<>( $f );\n"
            + "  evidence.add( $s );\n"
            + "  detections.raise( evidence );\n"
            + "end\n\n",
        k,
        k,
        dataset);
  }
}
