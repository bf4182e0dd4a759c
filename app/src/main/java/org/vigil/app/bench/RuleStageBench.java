package org.vigil.app.bench;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.vigil.bench.correlation.BenchRulePack;
import org.vigil.bench.correlation.CorrelationBenchReport;
import org.vigil.bench.correlation.CorrelationLoad;
import org.vigil.correlation.rules.AlertSuppressor;
import org.vigil.correlation.rules.Finding;
import org.vigil.correlation.rules.RoutedEvent;
import org.vigil.correlation.rules.RuleEvaluator;
import org.vigil.correlation.rules.RulePacks;
import org.vigil.correlation.rules.RuleRouter;
import org.vigil.correlation.types.EventTypeInfo;
import org.vigil.correlation.types.EventTypes;
import org.vigil.correlation.types.KeyTextTypeInfo;
import org.vigil.model.Alert;
import org.vigil.model.Event;
import org.vigil.rules.engine.RulePack;
import org.vigil.rules.engine.RuleRelease;

/**
 * The stage phase of {@code vigil bench correlation}: generated events through the job's own rule
 * stage (router, rule evaluator, alert suppression) in a Flink MiniCluster in this process, with
 * the bench's rules deployed as a release of ruleset {@code vigil} the way {@code vigil rules
 * deploy} delivers one. Parsing, enrichment and Elasticsearch are left out: this measures what the
 * rules cost.
 *
 * <p>The release and the events start together; the few events the router sees before the release
 * swaps in go to the shipped rules instead. The clock runs from the first event into the router to
 * the end of the job, so it includes the final watermark's timers (state cleanup of every group)
 * and counts against the stage. The rules are compiled before it starts (each rule's own knowledge
 * base too, as a rule-stage subtask does as it starts), and that time is reported on its own. So is
 * a warm-up job before the measured one: in a 300,000-event run without it, the JIT compilers took
 * a quarter of the CPU and the stage's code ran part of the time interpreted.
 */
final class RuleStageBench {
  // The MiniCluster runs in this JVM: its operators count into these.
  private static final AtomicLong FIRST_EVENT_NANOS = new AtomicLong();
  private static final AtomicLong FIRST_EVENT_CPU_NANOS = new AtomicLong();
  private static final LongAdder EVENTS = new LongAdder();
  private static final LongAdder EVALUATIONS = new LongAdder();
  private static final LongAdder FINDINGS = new LongAdder();
  private static final LongAdder ALERTS = new LongAdder();

  private static final long T0 = Instant.parse("2026-11-26T00:00:00Z").toEpochMilli();

  private RuleStageBench() {}

  static CorrelationBenchReport.Stage run(CorrelationBenchPlan plan) throws Exception {
    int datasets = Math.max(1, plan.rules() / 2);
    RuleRelease release =
        RuleRelease.of(
            "vigil",
            1,
            "vigil bench",
            Instant.now(),
            BenchRulePack.generate(plan.rules(), datasets));
    // Compiled before the clock starts: fails here, with the compile errors, rather than in the
    // job; and a running job compiles a pack and its rules' bases once per deploy, not per event,
    // so the throughput figures leave it out (it took a tenth to a fifth of a 300,000-event run,
    // varying with the JIT). Its time is reported on its own.
    long compileStart = System.nanoTime();
    release.compile().buildRuleBases();
    RulePack.builtIn().buildRuleBases(); // the stage's rules until the release swaps in
    double compileSeconds = (System.nanoTime() - compileStart) / 1e9;
    String releaseJson = new String(release.toJson(), StandardCharsets.UTF_8);
    CorrelationLoad load = new CorrelationLoad(plan.groupKeys(), datasets, T0, plan.eventRate());
    // A job of its own before the measured one, in this JVM: the JIT compiles the stage and the
    // rules' generated classes (shared, as the release compiles once per JVM) for the measured job
    // to find, as a running job would. Its state goes with it, so both start empty.
    double warmupSeconds = 0;
    if (plan.warmupEvents() > 0) {
      long warmupStart = System.nanoTime();
      execute(plan, releaseJson, load, plan.warmupEvents(), "vigil-bench-rule-stage-warmup");
      warmupSeconds = (System.nanoTime() - warmupStart) / 1e9;
    }
    FIRST_EVENT_NANOS.set(0);
    FIRST_EVENT_CPU_NANOS.set(0);
    EVENTS.reset();
    EVALUATIONS.reset();
    FINDINGS.reset();
    ALERTS.reset();
    execute(plan, releaseJson, load, plan.events(), "vigil-bench-rule-stage");
    long end = System.nanoTime();
    long endCpu = processCpuNanos();
    long first = FIRST_EVENT_NANOS.get();
    return new CorrelationBenchReport.Stage(
        plan.rules(),
        plan.groupKeys(),
        plan.parallelism(),
        EVENTS.sum(),
        EVALUATIONS.sum(),
        FINDINGS.sum(),
        ALERTS.sum(),
        first == 0 ? 0 : (end - first) / 1e9,
        first == 0 ? 0 : (endCpu - FIRST_EVENT_CPU_NANOS.get()) / 1e9,
        compileSeconds,
        plan.warmupEvents(),
        warmupSeconds);
  }

  /** Runs {@code events} events of the load through the stage, to the end of the job. */
  private static void execute(
      CorrelationBenchPlan plan, String releaseJson, CorrelationLoad load, long events, String name)
      throws Exception {
    Configuration conf = new Configuration();
    conf.set(CoreOptions.DEFAULT_PARALLELISM, plan.parallelism());
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(conf);
    env.getConfig().enableObjectReuse();
    EventTypes.register(env); // as the job does
    BroadcastStream<String> rules =
        env.fromData(Types.STRING, releaseJson)
            .setParallelism(1)
            .name("Bench rule release")
            .broadcast(RulePacks.RELEASES);
    // One generator, so event time rises through the load as it would from one Kafka partition;
    // generating costs about a microsecond an event, far from the stage's rate.
    env.fromSequence(0, events - 1)
        .setParallelism(1)
        .name("Bench event indexes")
        .map(new Generate(load))
        .setParallelism(1)
        .returns(EventTypeInfo.INSTANCE)
        .name("Generate events")
        .assignTimestampsAndWatermarks(
            WatermarkStrategy.<Event>forBoundedOutOfOrderness(Duration.ofSeconds(5))
                .withTimestampAssigner((e, previous) -> e.getTimestamp()))
        .setParallelism(1)
        .map(new CountEvents())
        .setParallelism(1)
        .name("Count events")
        .connect(rules)
        .process(new RuleRouter())
        .name("Route to rules")
        .map(new CountEvaluations())
        .name("Count evaluations")
        .keyBy(RoutedEvent::getKey, KeyTextTypeInfo.INSTANCE)
        .connect(rules)
        .process(new RuleEvaluator(1_000, plan.cachedSessions()))
        .name("Evaluate rules")
        .map(new CountFindings())
        .name("Count findings")
        .keyBy(Finding::getKey, KeyTextTypeInfo.INSTANCE)
        .process(new AlertSuppressor())
        .name("Suppress repeated alerts")
        .sinkTo(new CountAlerts())
        .name("Count alerts");
    env.execute(name);
  }

  /** CPU time of this whole JVM, every thread. */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static final class Generate implements MapFunction<Long, Event> {
    private static final long serialVersionUID = 1L;
    private final CorrelationLoad load;

    Generate(CorrelationLoad load) {
      this.load = load;
    }

    @Override
    public Event map(Long index) {
      return load.event(index);
    }
  }

  private static final class CountEvents implements MapFunction<Event, Event> {
    private static final long serialVersionUID = 1L;

    @Override
    public Event map(Event e) {
      if (FIRST_EVENT_NANOS.get() == 0 && FIRST_EVENT_NANOS.compareAndSet(0, System.nanoTime())) {
        FIRST_EVENT_CPU_NANOS.set(processCpuNanos());
      }
      EVENTS.increment();
      return e;
    }
  }

  private static final class CountEvaluations implements MapFunction<RoutedEvent, RoutedEvent> {
    private static final long serialVersionUID = 1L;

    @Override
    public RoutedEvent map(RoutedEvent r) {
      EVALUATIONS.increment();
      return r;
    }
  }

  private static final class CountFindings implements MapFunction<Finding, Finding> {
    private static final long serialVersionUID = 1L;

    @Override
    public Finding map(Finding f) {
      FINDINGS.increment();
      return f;
    }
  }

  private static final class CountAlerts implements Sink<Alert> {
    private static final long serialVersionUID = 1L;

    @Override
    public SinkWriter<Alert> createWriter(WriterInitContext context) {
      return new SinkWriter<>() {
        @Override
        public void write(Alert alert, Context ctx) {
          ALERTS.increment();
        }

        @Override
        public void flush(boolean endOfInput) {}

        @Override
        public void close() {}
      };
    }
  }
}
