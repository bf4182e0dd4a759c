package org.vigil.app.bench;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.apache.flink.api.common.eventtime.BoundedOutOfOrdernessWatermarks;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;
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
 * swaps in go to the shipped rules instead. Not so the measured events after a warm-up: the
 * warm-up's closing watermark passes the router only once the release's input has finished (an
 * operator's watermark is the least of its inputs'), so the release is in place before them. The
 * rules are compiled before the job starts (each rule's own knowledge base too, as a rule-stage
 * subtask does as it starts), and that time is reported on its own.
 *
 * <p>The measured events come after a warm-up in the same job: its events, then one whose watermark
 * closes all their windows an hour of event time later, and the stage's cleanup of their state. So
 * the measured events meet a stage whose code the JIT has compiled, with empty state, as in a job
 * that has been running. A warm-up job of its own before the measured one did less: its code was
 * partly thrown away as the next job's first events took other paths (in the measured job the JIT
 * still took a fifth of the CPU), and without any warm-up the stage ran partly interpreted.
 *
 * <p>The clock runs from the first measured event into the router to the end of the job, so it
 * includes the final watermark's timers (state cleanup of every group) and counts them against the
 * stage. Where the CPU went meanwhile is printed by thread, taken as the stage's subtasks end: the
 * router's and the generator's threads end before them, so their share is under {@code [jvm]
 * other}.
 */
final class RuleStageBench {
  // The MiniCluster runs in this JVM: its operators count into these.
  private static final AtomicLong FIRST_EVENT_NANOS = new AtomicLong();
  private static final AtomicLong FIRST_EVENT_CPU_NANOS = new AtomicLong();
  private static final AtomicReference<ThreadCpuProfile> FIRST_EVENT_CPU = new AtomicReference<>();
  private static final AtomicReference<ThreadCpuProfile> STAGE_END_CPU = new AtomicReference<>();
  private static final AtomicReference<CountDownLatch> STAGE_ENDED = new AtomicReference<>();
  private static final LongAdder EVENTS = new LongAdder();
  private static final LongAdder EVALUATIONS = new LongAdder();
  private static final LongAdder FINDINGS = new LongAdder();
  private static final LongAdder ALERTS = new LongAdder();
  private static final AtomicLong SINK_WATERMARK = new AtomicLong(Long.MIN_VALUE);
  private static final AtomicLong WARMUP_NANOS = new AtomicLong();

  /** The id of the event that ends the warm-up (see {@link Generate}). */
  private static final String FLUSH_ID = "bench-warmup-flush";

  private static final int CPU_TOP = 8;

  private static final long T0 = Instant.parse("2026-11-26T00:00:00Z").toEpochMilli();

  private RuleStageBench() {}

  /** Runs the stage; prints to {@code progress} where its CPU went while the clock ran. */
  static CorrelationBenchReport.Stage run(CorrelationBenchPlan plan, PrintStream progress)
      throws Exception {
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
    long warmup = plan.warmupEvents();
    CorrelationLoad warmupLoad =
        new CorrelationLoad(plan.groupKeys(), datasets, T0, plan.eventRate());
    // The measured events start an hour of event time after the warm-up's: past every window.
    long measuredStart = T0 + warmup * 1000 / plan.eventRate() + Duration.ofHours(1).toMillis();
    CorrelationLoad load =
        new CorrelationLoad(plan.groupKeys(), datasets, measuredStart, plan.eventRate());
    FIRST_EVENT_NANOS.set(0);
    FIRST_EVENT_CPU_NANOS.set(0);
    FIRST_EVENT_CPU.set(null);
    STAGE_END_CPU.set(null);
    STAGE_ENDED.set(new CountDownLatch(plan.parallelism()));
    SINK_WATERMARK.set(Long.MIN_VALUE);
    WARMUP_NANOS.set(0);
    EVENTS.reset();
    EVALUATIONS.reset();
    FINDINGS.reset();
    ALERTS.reset();
    execute(
        plan, releaseJson, new Generate(warmupLoad, warmup, load, plan.events(), measuredStart));
    long end = System.nanoTime();
    long endCpu = processCpuNanos();
    long first = FIRST_EVENT_NANOS.get();
    ThreadCpuProfile atFirst = FIRST_EVENT_CPU.get();
    ThreadCpuProfile atEnd = STAGE_END_CPU.get();
    if (atFirst != null && atEnd != null) {
      progress.print(atEnd.since(atFirst, CPU_TOP));
    }
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
        warmup,
        WARMUP_NANOS.get() / 1e9);
  }

  /** Runs the warm-up and the measured events through the stage, to the end of the job. */
  private static void execute(CorrelationBenchPlan plan, String releaseJson, Generate generate)
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
    env.fromSequence(0, generate.total() - 1)
        .setParallelism(1)
        .name("Bench event indexes")
        .flatMap(generate)
        .setParallelism(1)
        .returns(EventTypeInfo.INSTANCE)
        .name("Generate events")
        .assignTimestampsAndWatermarks(
            WatermarkStrategy.<Event>forGenerator(ctx -> new FlushingWatermarks())
                .withTimestampAssigner((e, previous) -> e.getTimestamp()))
        .setParallelism(1)
        .map(new CountEvents(generate.measuredStart))
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
    env.execute("vigil-bench-rule-stage");
  }

  /** CPU time of this whole JVM, every thread. */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /**
   * The warm-up's events, then one that flushes them (its watermark closes every warm-up window and
   * fires the cleanup of its state), then, once that watermark has passed the whole stage, the
   * measured events.
   */
  private static final class Generate implements FlatMapFunction<Long, Event> {
    private static final long serialVersionUID = 1L;
    private static final Duration DRAIN_LIMIT = Duration.ofMinutes(5);

    private final CorrelationLoad warmupLoad;
    private final long warmup;
    private final CorrelationLoad load;
    private final long events;
    final long measuredStart;
    private transient long warmupStartNanos;

    Generate(
        CorrelationLoad warmupLoad,
        long warmup,
        CorrelationLoad load,
        long events,
        long measuredStart) {
      this.warmupLoad = warmupLoad;
      this.warmup = warmup;
      this.load = load;
      this.events = events;
      this.measuredStart = measuredStart;
    }

    /** Indexes the source counts through: the warm-up, its flush, the measured events. */
    long total() {
      return warmup == 0 ? events : warmup + 1 + events;
    }

    @Override
    public void flatMap(Long index, Collector<Event> out) throws InterruptedException {
      if (warmup == 0) {
        out.collect(load.event(index));
      } else if (index < warmup) {
        if (index == 0) {
          warmupStartNanos = System.nanoTime();
        }
        out.collect(warmupLoad.event(index));
      } else if (index == warmup) {
        // Read by no rule; its watermark (FlushingWatermarks) leaves the chain with it.
        out.collect(new Event(FLUSH_ID, measuredStart));
        awaitWatermarkAtSink(measuredStart - 1);
        WARMUP_NANOS.set(System.nanoTime() - warmupStartNanos);
        EVALUATIONS.reset();
        FINDINGS.reset();
        ALERTS.reset();
      } else {
        out.collect(load.event(index - warmup - 1));
      }
    }

    private static void awaitWatermarkAtSink(long watermark) throws InterruptedException {
      long deadline = System.nanoTime() + DRAIN_LIMIT.toNanos();
      while (SINK_WATERMARK.get() < watermark) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "the warm-up's windows were not closed within "
                  + DRAIN_LIMIT.toMinutes()
                  + " minutes: the stage stalled; try a smaller --warmup-events");
        }
        Thread.sleep(10);
      }
    }
  }

  /**
   * Bounded out-of-orderness, as the job's own strategy, except that the flush event moves the
   * watermark to just before itself at once, rather than at the next periodic emit, which cannot
   * come while the generator waits for it.
   */
  private static final class FlushingWatermarks implements WatermarkGenerator<Event> {
    private final BoundedOutOfOrdernessWatermarks<Event> bounded =
        new BoundedOutOfOrdernessWatermarks<>(Duration.ofSeconds(5));

    @Override
    public void onEvent(Event event, long timestamp, WatermarkOutput output) {
      bounded.onEvent(event, timestamp, output);
      if (FLUSH_ID.equals(event.getId())) {
        output.emitWatermark(new Watermark(timestamp - 1));
      }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
      bounded.onPeriodicEmit(output);
    }
  }

  /** Counts the measured events and starts the clock at the first. */
  private static final class CountEvents implements MapFunction<Event, Event> {
    private static final long serialVersionUID = 1L;
    private final long measuredStart;

    CountEvents(long measuredStart) {
      this.measuredStart = measuredStart;
    }

    @Override
    public Event map(Event e) {
      if (e.getTimestamp() < measuredStart || FLUSH_ID.equals(e.getId())) {
        return e;
      }
      if (FIRST_EVENT_NANOS.get() == 0 && FIRST_EVENT_NANOS.compareAndSet(0, System.nanoTime())) {
        FIRST_EVENT_CPU_NANOS.set(processCpuNanos());
        FIRST_EVENT_CPU.set(ThreadCpuProfile.take(Map.of()));
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

  /**
   * Counts findings; as the rule stage's subtasks end, takes the CPU profile of the run while their
   * threads are still alive (a thread's CPU goes with it when it exits).
   */
  private static final class CountFindings extends RichMapFunction<Finding, Finding> {
    private static final long serialVersionUID = 1L;

    @Override
    public Finding map(Finding f) {
      FINDINGS.increment();
      return f;
    }

    @Override
    public void close() throws InterruptedException {
      CountDownLatch ended = STAGE_ENDED.get();
      ended.countDown();
      if (ended.await(1, TimeUnit.MINUTES)) {
        synchronized (STAGE_END_CPU) {
          if (STAGE_END_CPU.get() == null) {
            STAGE_END_CPU.set(ThreadCpuProfile.take(Map.of()));
          }
        }
      }
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
        public void writeWatermark(Watermark watermark) {
          SINK_WATERMARK.accumulateAndGet(watermark.getTimestamp(), Math::max);
        }

        @Override
        public void flush(boolean endOfInput) {}

        @Override
        public void close() {}
      };
    }
  }
}
