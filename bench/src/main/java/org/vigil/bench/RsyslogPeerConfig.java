package org.vigil.bench;

import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The configuration of the rsyslog that the benchmark runs as its yardstick: TCP syslog in on one
 * port, every message out to one Elasticsearch index with {@code omelasticsearch} in bulk mode. It
 * is a private instance (its own work folder and pid file, no system inputs, no journal, no {@code
 * /etc/rsyslog.d}), so it never touches the machine's own rsyslog.
 *
 * <p>The settings are those rsyslog's documentation gives for high-rate Elasticsearch output: a
 * large in-memory action queue drained in batches of {@value #BATCH} by {@value #WORKERS} workers,
 * each batch one {@code _bulk} request, retried without end so nothing is dropped while
 * Elasticsearch is busy. The document carries the fields an analyst would search ({@code
 * host.name}, {@code log.syslog.appname}, {@code message}, {@code @timestamp}), so its indexing
 * cost is like that of a minimal Vigil event.
 *
 * @param tcpPort the port rsyslog's imtcp listens on, on 127.0.0.1
 * @param elasticsearchHost Elasticsearch's host
 * @param elasticsearchPort Elasticsearch's HTTP port
 * @param index the index every message goes to (lower case)
 * @param workDir rsyslog's work folder (queue files, state)
 * @param errorFile where omelasticsearch writes the requests Elasticsearch refused
 */
public record RsyslogPeerConfig(
    int tcpPort,
    String elasticsearchHost,
    int elasticsearchPort,
    String index,
    Path workDir,
    Path errorFile) {
  /** Messages per bulk request. */
  public static final int BATCH = 2_000;

  /** Parallel bulk requests. */
  public static final int WORKERS = 2;

  /** Messages the action queue holds before imtcp stops reading (TCP backpressure). */
  public static final int QUEUE = 200_000;

  /**
   * How long the main queue waits for room in the full action queue before rsyslog would discard a
   * message: long enough that it never does, so a busy Elasticsearch slows the TCP senders down
   * instead (rsyslog's default of 2 s, or 0, would drop).
   */
  public static final int ENQUEUE_TIMEOUT_MILLIS = 600_000;

  private static final Pattern INDEX = Pattern.compile("[a-z0-9][a-z0-9._-]*");

  public RsyslogPeerConfig {
    checkPort("rsyslog TCP", tcpPort);
    checkPort("Elasticsearch", elasticsearchPort);
    if (elasticsearchHost == null || elasticsearchHost.isBlank()) {
      throw new IllegalArgumentException("no Elasticsearch host for rsyslog");
    }
    if (index == null || !INDEX.matcher(index).matches()) {
      throw new IllegalArgumentException(
          "rsyslog's index must be lower-case letters, digits, '.', '_' or '-': " + index);
    }
    Objects.requireNonNull(workDir, "workDir");
    Objects.requireNonNull(errorFile, "errorFile");
  }

  private static void checkPort(String what, int port) {
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException(what + " port " + port + " is out of range 1-65535");
    }
  }

  /** The rsyslog.conf text (RainerScript). */
  public String render() {
    return """
        # Written by vigil bench syslog: a private rsyslog as the benchmark's yardstick.
        global(workDirectory="%1$s" maxMessageSize="64k")
        module(load="imtcp" maxSessions="64")
        module(load="omelasticsearch")

        template(name="vigilBenchDoc" type="list" option.jsonf="on") {
          property(outname="@timestamp" name="timereported" dateFormat="rfc3339" format="jsonf")
          property(outname="host.name" name="hostname" format="jsonf")
          property(outname="log.syslog.appname" name="programname" format="jsonf")
          property(outname="log.syslog.severity.code" name="syslogseverity" format="jsonf")
          property(outname="log.syslog.facility.code" name="syslogfacility" format="jsonf")
          property(outname="message" name="msg" format="jsonf")
        }

        ruleset(name="vigilBench") {
          action(type="omelasticsearch"
                 server="%2$s" serverport="%3$d"
                 searchIndex="%4$s" template="vigilBenchDoc"
                 esVersion.major="8"
                 bulkmode="on" maxbytes="100m"
                 errorFile="%5$s"
                 action.resumeRetryCount="-1" action.resumeInterval="1"
                 queue.type="LinkedList" queue.size="%6$d"
                 queue.dequeueBatchSize="%7$d" queue.workerThreads="%8$d"
                 queue.highWatermark="%9$d" queue.lowWatermark="%10$d"
                 queue.timeoutEnqueue="%12$d")
        }

        input(type="imtcp" address="127.0.0.1" port="%11$d" ruleset="vigilBench")
        """
        .formatted(
            workDir,
            elasticsearchHost,
            elasticsearchPort,
            index,
            errorFile,
            QUEUE,
            BATCH,
            WORKERS,
            QUEUE * 9 / 10,
            QUEUE * 7 / 10,
            tcpPort,
            ENQUEUE_TIMEOUT_MILLIS);
  }
}
