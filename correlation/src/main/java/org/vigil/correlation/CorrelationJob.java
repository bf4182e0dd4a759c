package org.vigil.correlation;

import java.nio.file.Path;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.vigil.correlation.beats.BeatsStage;
import org.vigil.correlation.enrich.EnrichmentTables;
import org.vigil.correlation.enrich.EventEnricher;
import org.vigil.correlation.netflow.NetflowStage;
import org.vigil.correlation.parse.SourceZones;
import org.vigil.correlation.parse.SyslogParseFunction;
import org.vigil.correlation.rules.AlertSuppressor;
import org.vigil.correlation.rules.Finding;
import org.vigil.correlation.rules.RoutedEvent;
import org.vigil.correlation.rules.RuleEvaluator;
import org.vigil.correlation.rules.RulePacks;
import org.vigil.correlation.rules.RuleReleaseCheck;
import org.vigil.correlation.rules.RuleRouter;
import org.vigil.correlation.sink.ElasticsearchSink;
import org.vigil.correlation.source.DeadLetter;
import org.vigil.correlation.source.DeadLetterSerializer;
import org.vigil.correlation.source.RawRecord;
import org.vigil.correlation.source.RawRecordDeserializer;
import org.vigil.correlation.types.EventTypes;
import org.vigil.correlation.types.KeyTextTypeInfo;
import org.vigil.model.Alert;
import org.vigil.model.Event;
import org.vigil.model.Topics;

/**
 * The one Flink job: raw syslog records from Kafka are parsed and normalised to ECS events,
 * NetFlow/IPFIX datagrams decoded to flow events, keyed by exporter, and Beats events taken as the
 * ECS they are; all are indexed and, routed by rule and group, correlated by the Drools rules into
 * alerts.
 *
 * <p>Sources and sinks come in through the constructor, so tests wire their own; {@link
 * #withKafkaAndElasticsearch} wires the real ones.
 */
public final class CorrelationJob {
  /**
   * The job's raw inputs. {@code netflow} and {@code beats} may be null for a job without that
   * branch; {@code rules} (the rule releases of {@code vigil.rules}) may be null for a job that
   * runs the built-in rule pack only.
   */
  public record RawSources(
      Source<RawRecord, ?, ?> syslog,
      Source<RawRecord, ?, ?> netflow,
      Source<RawRecord, ?, ?> beats,
      Source<RawRecord, ?, ?> rules) {

    /** Without rule releases: the built-in pack only. */
    public RawSources(
        Source<RawRecord, ?, ?> syslog,
        Source<RawRecord, ?, ?> netflow,
        Source<RawRecord, ?, ?> beats) {
      this(syslog, netflow, beats, null);
    }
  }

  private final CorrelationConfig config;
  private final RawSources sources;
  private final Sink<Event> eventSink;
  private final Sink<Alert> alertSink;
  private final Sink<DeadLetter> deadLetterSink;

  /** A job with the syslog branch only. */
  public CorrelationJob(
      CorrelationConfig config,
      Source<RawRecord, ?, ?> syslogSource,
      Sink<Event> eventSink,
      Sink<Alert> alertSink,
      Sink<DeadLetter> deadLetterSink) {
    this(config, new RawSources(syslogSource, null, null), eventSink, alertSink, deadLetterSink);
  }

  public CorrelationJob(
      CorrelationConfig config,
      RawSources sources,
      Sink<Event> eventSink,
      Sink<Alert> alertSink,
      Sink<DeadLetter> deadLetterSink) {
    this.config = config;
    this.sources = sources;
    this.eventSink = eventSink;
    this.alertSink = alertSink;
    this.deadLetterSink = deadLetterSink;
  }

  /**
   * The production wiring: Kafka in (syslog, NetFlow and Beats), Elasticsearch and the dead-letter
   * topic out.
   */
  public static CorrelationJob withKafkaAndElasticsearch(CorrelationConfig config) {
    KafkaSink<DeadLetter> deadLetters =
        KafkaSink.<DeadLetter>builder()
            .setBootstrapServers(config.kafkaBootstrap())
            .setRecordSerializer(new DeadLetterSerializer())
            .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
            .build();
    return new CorrelationJob(
        config,
        new RawSources(
            rawSource(config, Topics.RAW_SYSLOG, SMALL_RECORDS_PER_POLL),
            rawSource(config, Topics.RAW_NETFLOW, SMALL_RECORDS_PER_POLL),
            rawSource(config, Topics.RAW_BEATS, BEATS_RECORDS_PER_POLL),
            rulesSource(config)),
        ElasticsearchSink.events(config.elasticsearch()),
        ElasticsearchSink.alerts(config.elasticsearch()),
        deadLetters);
  }

  /**
   * Kafka's default {@code max.poll.records}, for topics of one message (or datagram) per record.
   */
  private static final int SMALL_RECORDS_PER_POLL = 500;

  /**
   * For the raw Beats topic, whose records hold up to 256 KiB of events each. The source keeps a
   * few polls while the job works through them: at 500 records a poll that was 300 MB, and even at
   * 16 it held a second of input, long enough for the garbage collector to copy it into the old
   * generation and mark it there. Two records are about what 500 single messages were.
   */
  static final int BEATS_RECORDS_PER_POLL = 2;

  /**
   * A raw-record source on one topic; a fresh start resumes from the offsets committed with the
   * last checkpoint. {@code recordsPerPoll} bounds what one poll of the consumer hands the source,
   * and with it what the source holds. The Kafka connector for Flink 2.2 takes only Kafka's
   * deprecated {@code OffsetResetStrategy} for the committed-offsets fallback; nothing replaces it
   * there yet.
   */
  @SuppressWarnings("deprecation")
  private static KafkaSource<RawRecord> rawSource(
      CorrelationConfig config, String topic, int recordsPerPoll) {
    return KafkaSource.<RawRecord>builder()
        .setBootstrapServers(config.kafkaBootstrap())
        .setTopics(topic)
        .setGroupId(config.consumerGroup())
        .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
        .setDeserializer(new RawRecordDeserializer())
        .setProperty("partition.discovery.interval.ms", "30000")
        .setProperty("commit.offsets.on.checkpoint", "true")
        .setProperty("fetch.max.wait.ms", "50")
        .setProperty("max.poll.records", Integer.toString(recordsPerPoll))
        .build();
  }

  /**
   * The rule releases, always from the start of the compacted topic when the job starts without
   * state: it holds the latest release of every ruleset, and the rule stage keeps the newest
   * version it sees. A restore resumes from the checkpointed offset instead, which agrees with the
   * releases the checkpoint's broadcast state holds. No consumer-group offsets are committed: they
   * would make a stateless restart skip the releases it needs.
   */
  private static KafkaSource<RawRecord> rulesSource(CorrelationConfig config) {
    return KafkaSource.<RawRecord>builder()
        .setBootstrapServers(config.kafkaBootstrap())
        .setTopics(Topics.RULES)
        .setGroupId(config.consumerGroup() + "-rules")
        .setStartingOffsets(OffsetsInitializer.earliest())
        .setDeserializer(new RawRecordDeserializer())
        .setProperty("commit.offsets.on.checkpoint", "false")
        .setProperty("fetch.max.wait.ms", "200")
        .build();
  }

  /**
   * The checked rule releases, ready to broadcast; none when the job has no rules source.
   *
   * <p>A broadcast-connected operator's watermark is the minimum over both inputs, and the rules
   * stream has no event time: left without watermarks it would hold every window and absence timer
   * of the rule stage at its start. It declares itself idle instead, so the events alone move the
   * rule stage's clock.
   */
  private DataStream<String> ruleReleases(StreamExecutionEnvironment env) {
    if (sources.rules() == null) {
      // Flink's collection source fails on an empty collection, so one blank element is filtered
      // away: the rule stage gets a broadcast input that ends at once.
      return env.fromData(Types.STRING, "")
          .uid("source-rules-none")
          .name("No rule releases (built-in rules)")
          .setParallelism(1)
          .filter(release -> !release.isEmpty())
          .uid("filter-rules-none")
          .name("No rule releases")
          .setParallelism(1);
    }
    SingleOutputStreamOperator<String> checked =
        env.fromSource(sources.rules(), RULES_TIME, "Rule releases")
            .uid("source-rules")
            .setParallelism(1)
            .process(new RuleReleaseCheck())
            .uid("check-rule-releases")
            .name("Check rule releases")
            .setParallelism(1);
    checked
        .getSideOutput(RuleReleaseCheck.DEAD_LETTERS)
        .sinkTo(deadLetterSink)
        .uid("sink-deadletter-rules")
        .name("Rejected rule releases");
    return checked;
  }

  private static final WatermarkStrategy<RawRecord> RULES_TIME =
      WatermarkStrategy.forGenerator(ctx -> new NoEventTime());

  /**
   * Declares the rules stream idle, so it never counts in a watermark. Declaring the end of event
   * time instead looks the same while events flow, but once every event input went idle (a quiet
   * minute) the rules stream alone decided, moved the rule stage to the end of time, and from then
   * on every event was late and every window and suppression closed at once.
   */
  private static final class NoEventTime implements WatermarkGenerator<RawRecord> {
    @Override
    public void onEvent(RawRecord event, long eventTimestamp, WatermarkOutput output) {}

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
      output.markIdle();
    }
  }

  /** Adds the job's operators to the environment; the caller executes it. */
  public void build(StreamExecutionEnvironment env) {
    // Read before any operator exists, so that a wrong file stops the start with its message
    // rather than failing every parse task.
    SourceZones sourceZones = sourceZones(config);
    EnrichmentTables enrichment =
        EnrichmentTables.load(
            config.organizationsFile(), config.enrichment(), System.currentTimeMillis());
    // No operator changes its input, and the one that keeps inputs (the rule stage) keeps a
    // copy: so records need not be copied between chained operators, a large share of the cost
    // per event otherwise.
    env.getConfig().enableObjectReuse();
    EventTypes.register(env);
    DataStream<RawRecord> raw =
        env.fromSource(sources.syslog(), WatermarkStrategy.noWatermarks(), "Syslog raw records")
            .uid("source-syslog");

    SingleOutputStreamOperator<Event> parsed =
        raw.process(new SyslogParseFunction(sourceZones, config.maxClockSkew()))
            .uid("parse-syslog")
            .name("Parse and normalise syslog");
    parsed
        .getSideOutput(SyslogParseFunction.DEAD_LETTERS)
        .sinkTo(deadLetterSink)
        .uid("sink-deadletter")
        .name("Dead letters");

    DataStream<Event> events =
        parsed
            .map(new EventEnricher(enrichment))
            // The uids of the agency-only step this replaced, so existing checkpoints map as
            // before.
            .uid("organization-syslog")
            .name("Enrich syslog events")
            .assignTimestampsAndWatermarks(
                WatermarkStrategy.<Event>forBoundedOutOfOrderness(config.outOfOrderness())
                    .withTimestampAssigner((event, previous) -> event.getTimestamp())
                    .withIdleness(config.idleness()))
            .uid("event-time")
            .name("Event time");

    events.sinkTo(eventSink).uid("sink-events").name("Index events");

    BroadcastStream<String> rules = ruleReleases(env).broadcast(RulePacks.RELEASES);
    DataStream<RoutedEvent> routed =
        events
            .connect(rules)
            .process(new RuleRouter())
            .uid("route-to-rules")
            .name("Route to rules");
    if (sources.netflow() != null) {
      // Its own sink and router operators keep the syslog chain unbroken; the shuffle to the
      // rule stage joins all branches.
      DataStream<Event> flows =
          NetflowStage.build(
                  env,
                  sources.netflow(),
                  config.netflow(),
                  config.maxClockSkew(),
                  config.idleness(),
                  deadLetterSink)
              .map(new EventEnricher(enrichment))
              .uid("organization-netflow")
              .name("Enrich flow events");
      flows.sinkTo(eventSink).uid("sink-events-netflow").name("Index flow events");
      routed =
          routed.union(
              flows
                  .connect(rules)
                  .process(new RuleRouter())
                  .uid("route-netflow-to-rules")
                  .name("Route flows to rules"));
    }
    if (sources.beats() != null) {
      DataStream<Event> beats =
          BeatsStage.build(
                  env,
                  sources.beats(),
                  config.maxClockSkew(),
                  config.outOfOrderness(),
                  config.idleness(),
                  deadLetterSink)
              .map(new EventEnricher(enrichment))
              .uid("organization-beats")
              .name("Enrich Beats events");
      beats.sinkTo(eventSink).uid("sink-events-beats").name("Index Beats events");
      routed =
          routed.union(
              beats
                  .connect(rules)
                  .process(new RuleRouter())
                  .uid("route-beats-to-rules")
                  .name("Route Beats events to rules"));
    }
    routed
        .keyBy(RoutedEvent::getKey, KeyTextTypeInfo.INSTANCE)
        .connect(rules)
        .process(new RuleEvaluator(config.maxFactsPerGroup()))
        .uid("evaluate-rules")
        .name("Evaluate rules")
        .keyBy(Finding::getKey, KeyTextTypeInfo.INSTANCE)
        .process(new AlertSuppressor())
        .uid("suppress-alerts")
        .name("Suppress repeated alerts")
        .sinkTo(alertSink)
        .uid("sink-alerts")
        .name("Index alerts");
  }

  /**
   * The zones of zone-less device times: from {@link CorrelationConfig#sourceZonesFile} if given,
   * else the default zone for every sender.
   *
   * @throws java.io.UncheckedIOException if the file cannot be read
   * @throws IllegalArgumentException naming the file and line if its content is wrong
   */
  static SourceZones sourceZones(CorrelationConfig config) {
    if (config.sourceZonesFile() == null) {
      return SourceZones.none(config.defaultZone());
    }
    return SourceZones.load(Path.of(config.sourceZonesFile()), config.defaultZone());
  }
}
