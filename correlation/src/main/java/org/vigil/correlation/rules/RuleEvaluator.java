package org.vigil.correlation.rules;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.correlation.types.EventTypeInfo;
import org.vigil.model.Event;
import org.vigil.rules.engine.Detection;
import org.vigil.rules.engine.RuleDefinition;
import org.vigil.rules.engine.RuleFailureException;
import org.vigil.rules.engine.RulePack;
import org.vigil.rules.engine.RuleSession;

/**
 * Runs one rule over the events of one group (the key). The events a rule may still need live in
 * Flink state, so a restore from a checkpoint loses no correlation context. The group's Drools
 * session is a cache over them ({@link RuleSessionCache}): each event is inserted into the live
 * session, which costs the rule's joins over the held facts rather than a replay of the group's
 * whole window; a session evicted, or lost with a restart, is rebuilt from state.
 *
 * <p>Evaluation happens as each event arrives, so an alert leaves as soon as its evidence is
 * complete rather than when the watermark passes. Windows still follow event time: the engine's
 * pseudo clock moves with the events' own timestamps, and state expires by event-time timers, so
 * idle keys cost nothing once the watermark has moved past their window. A rule that binds its
 * trigger from {@link RulePack#ARRIVALS} has each event retired as a trigger once the watermark
 * passes it ({@link RuleSession#retireBefore}), and a rebuilt session holds only the triggers the
 * watermark has not passed: an event later than the watermark (counted as late) is still evaluated,
 * and completes its own matches, but no longer those of newer events.
 *
 * <p>Most groups hold too few events for their rule to fire: one scanning address, one mistyped
 * password. A group whose events in the window, the new one included, number fewer than the rule
 * needs ({@link RulePack#minimumEvents}, five for five failed logins) holds the event in state
 * without asking Drools, which could raise nothing on it; the event that reaches the minimum is
 * evaluated with the group's held events as before.
 *
 * <p>An absence rule ({@code @absence}) is not evaluated on arrival: each event moves the group's
 * deadline to its newest event time plus the absence plus 1 ms, and an event-time timer at the
 * deadline runs {@link RulePack#evaluateAt} with the deadline as clock. When it fires, no newer
 * event came (it would have moved the timer), so the group's state is cleared: the source is silent
 * and its next event starts afresh.
 *
 * <p>Rule releases arrive on the broadcast side and swap packs between two elements (broadcast and
 * keyed elements run in one thread), so an evaluation uses one version throughout; each finding
 * carries the rule version that raised it. The router swaps independently and may route an event
 * under a release this subtask has not taken yet (for instance to a rule it does not know yet):
 * such an event waits in keyed state with an event-time timer at its own timestamp, and is
 * evaluated when that timer finds the release in place (else the timer is re-armed). Since the
 * release reaches every subtask within moments, the wait is about the watermark's lag; an event
 * still waiting {@link #MAX_WAIT_MILLIS} of event time later is dropped and counted rather than
 * held forever.
 *
 * <p>A group's timers say what they are for by their parity, so a timer costs no state lookup to
 * tell apart: cleanups fall on even milliseconds ({@link #cleanupTime}), absence deadlines and
 * waits for a release on odd ones ({@link #deadlineTime}), each up to 1 ms later than asked. An odd
 * timer that is neither (a cleanup from a checkpoint written before timers had parities) cleans up.
 *
 * <p>A rule that fails at run time on an event (a condition or consequence throws, or it loops:
 * {@link RuleFailureException}) costs that rule that event, not the job: the event is left out of
 * the group's state, the group's session is dropped (the next event rebuilds it from state), the
 * failure is counted ({@code ruleFailures}) and logged once per rule version. Thrown on, the same
 * event would fail the job again after every restart.
 */
public final class RuleEvaluator
    extends KeyedBroadcastProcessFunction<String, RoutedEvent, String, Finding>
    implements CheckpointedFunction {
  private static final long serialVersionUID = 2L;
  private static final Logger LOG = LoggerFactory.getLogger(RuleEvaluator.class);

  /** Event time an event waits for the release it was routed under before it is dropped. */
  static final long MAX_WAIT_MILLIS = 5 * 60_000L;

  /** Event time between two looks for the release a waiting event needs. */
  static final long WAIT_RETRY_MILLIS = 1_000L;

  private static final Comparator<Event> BY_TIME =
      Comparator.comparingLong(Event::getTimestamp).thenComparing(Event::getId);

  /**
   * A group gets a live session of its own once it holds this many facts; below, its events are
   * evaluated in the rule's scratch session, replaying its few facts.
   */
  static final int OWN_SESSION_AT = 4;

  /** Live sessions a subtask keeps by default: hot groups stay cached, cold ones rebuild. */
  public static final int DEFAULT_CACHED_SESSIONS = 10_000;

  private final int maxFactsPerGroup;
  private final int cachedSessions;

  private transient RulePacks packs;
  private transient ListState<Event> facts;

  /**
   * Where cleanups were kept before timers told them apart by parity: read nowhere, cleared with a
   * group's last facts, so a checkpoint written before leaves nothing behind.
   */
  private transient ValueState<Long> cleanupAt;

  private transient ValueState<Long> absenceAt;
  private transient ListState<RoutedEvent> waiting;
  private transient ValueState<Long> waitingAt;
  private transient Counter lateEvents;
  private transient Counter droppedFacts;
  private transient Counter findings;
  private transient Counter eventsAwaitingRules;
  private transient Counter eventsDroppedAwaitingRules;
  private transient Set<String> versionGauges;
  private transient RuleSessionCache sessions;
  private transient RuleSessionCache scratchSessions;
  private transient Counter scratchEvaluations;
  private transient Counter sessionsRebuilt;
  private transient Counter heldBelowMinimum;
  private transient Counter ruleFailures;
  private transient Set<String> failuresLogged;

  /**
   * @param maxFactsPerGroup bound on the events held for one rule and group; beyond it the oldest
   *     are dropped and counted, so one noisy source cannot exhaust memory
   */
  public RuleEvaluator(int maxFactsPerGroup) {
    this(maxFactsPerGroup, DEFAULT_CACHED_SESSIONS);
  }

  /**
   * @param maxFactsPerGroup as {@link #RuleEvaluator(int)}
   * @param cachedSessions live Drools sessions kept per subtask, least recently used out
   */
  public RuleEvaluator(int maxFactsPerGroup, int cachedSessions) {
    if (maxFactsPerGroup < 1 || cachedSessions < 1) {
      throw new IllegalArgumentException(
          "facts per group and cached sessions must be at least 1: "
              + maxFactsPerGroup
              + ", "
              + cachedSessions);
    }
    this.maxFactsPerGroup = maxFactsPerGroup;
    this.cachedSessions = cachedSessions;
  }

  /**
   * Compiles the packs in broadcast state, and every rule's knowledge base, as the subtask starts.
   * Left to the first event, the compile (4 s for the shipped pack, 5 s more for its rules' bases
   * on a quiet machine, twice that while the rest of the system starts) held up that event and,
   * through backpressure, the indexing of every event behind it: a third of 5,000 Beats events sent
   * ten seconds after {@code vigil up} were not searchable 15 s later. A deploy still compiles its
   * pack as the release arrives and each rule's base on the rule's first event.
   */
  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    packs =
        RulePacks.restoreAndBuild(
            context.getOperatorStateStore().getBroadcastState(RulePacks.RELEASES).entries());
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) {
    // The releases are the operator's broadcast state, which Flink snapshots itself.
  }

  @Override
  public void open(OpenContext openContext) {
    facts =
        getRuntimeContext()
            .getListState(new ListStateDescriptor<>("facts", EventTypeInfo.INSTANCE));
    cleanupAt = getRuntimeContext().getState(new ValueStateDescriptor<>("cleanup-at", Long.class));
    absenceAt = getRuntimeContext().getState(new ValueStateDescriptor<>("absence-at", Long.class));
    waiting =
        getRuntimeContext()
            .getListState(new ListStateDescriptor<>("awaiting-release", RoutedEvent.TYPE));
    waitingAt = getRuntimeContext().getState(new ValueStateDescriptor<>("awaiting-at", Long.class));
    MetricGroup metrics = getRuntimeContext().getMetricGroup();
    lateEvents = metrics.counter("lateEvents");
    droppedFacts = metrics.counter("droppedFacts");
    findings = metrics.counter("findings");
    eventsAwaitingRules = metrics.counter("eventsAwaitingRules");
    eventsDroppedAwaitingRules = metrics.counter("eventsDroppedAwaitingRules");
    versionGauges = new HashSet<>();
    sessions = new RuleSessionCache(cachedSessions);
    scratchSessions = new RuleSessionCache(1_024);
    scratchEvaluations = metrics.counter("scratchSessionEvaluations");
    sessionsRebuilt = metrics.counter("ruleSessionsRebuilt");
    heldBelowMinimum = metrics.counter("eventsHeldBelowRuleMinimum");
    ruleFailures = metrics.counter("ruleFailures");
    failuresLogged = new HashSet<>();
    metrics.gauge("ruleSessionsCached", (Gauge<Integer>) sessions::size);
    registerVersionGauges(); // initializeState came first
  }

  /** The packs this subtask runs (tests). */
  RulePacks packs() {
    return packs;
  }

  /** Live sessions of single groups this subtask holds (tests). */
  int cachedSessions() {
    return sessions == null ? 0 : sessions.size();
  }

  @Override
  public void close() throws Exception {
    if (sessions != null) {
      sessions.close();
    }
    if (scratchSessions != null) {
      scratchSessions.close();
    }
    super.close();
  }

  @Override
  public void processElement(RoutedEvent routed, ReadOnlyContext ctx, Collector<Finding> out)
      throws Exception {
    RulePacks current = packs;
    if (routed.packVersion > current.version(routed.ruleset)) {
      await(routed, ctx.timerService());
      return;
    }
    RuleDefinition rule = current.rule(routed.ruleset, routed.ruleId);
    if (rule == null) {
      return; // the rule was removed since the event was routed
    }
    evaluateOrSkip(rule, routed, ctx.timerService(), out);
  }

  @Override
  public void processBroadcastElement(String releaseJson, Context ctx, Collector<Finding> out)
      throws Exception {
    RulePacks next = RuleSwap.apply(packs, releaseJson, ctx.getBroadcastState(RulePacks.RELEASES));
    if (next != packs) {
      packs = next;
      registerVersionGauges();
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Finding> out) throws Exception {
    RulePacks current = packs;
    TimerService timers = ctx.timerService();
    String key = ctx.getCurrentKey();
    RuleDefinition rule = current.rule(RoutedEvent.rulesetOf(key), RoutedEvent.ruleIdOf(key));
    if ((timestamp & 1) == 0) {
      forgetExpired(rule, timestamp, ctx);
      return;
    }
    boolean claimed = false;
    Long awaitingAt = waitingAt.value();
    if (awaitingAt != null && awaitingAt == timestamp) {
      retryWaiting(timestamp, current, timers, out);
      claimed = true;
    }
    Long deadline = absenceAt.value();
    if (deadline != null && deadline == timestamp) {
      judgeSilence(rule, key, current, timestamp, timers, out);
      return;
    }
    if (!claimed) {
      forgetExpired(rule, timestamp, ctx); // a cleanup from before parities: see the class comment
    }
  }

  private void evaluateOrSkip(
      RuleDefinition rule, RoutedEvent routed, TimerService timers, Collector<Finding> out)
      throws Exception {
    try {
      evaluate(rule, routed, timers, out);
    } catch (RuleFailureException e) {
      ruleFailed(routed.key, rule, "event " + routed.event.getId(), e);
    }
  }

  /** See the class comment: the rule loses the event, the job goes on. */
  private void ruleFailed(String key, RuleDefinition rule, String what, RuleFailureException e) {
    // The sessions may hold part of what the rule did before it threw.
    sessions.remove(key);
    scratchSessions.remove(RoutedEvent.keyOf(RoutedEvent.rulesetOf(key), rule.id(), ""));
    ruleFailures.inc();
    String ruleVersion =
        RoutedEvent.rulesetOf(key) + "/" + rule.id() + " version " + rule.version();
    if (failuresLogged.add(ruleVersion)) {
      LOG.warn(
          "Rule {} failed on {}, which it leaves out; its further failures are only counted"
              + " (ruleFailures)",
          ruleVersion,
          what,
          e);
    }
  }

  private void evaluate(
      RuleDefinition rule, RoutedEvent routed, TimerService timers, Collector<Finding> out)
      throws Exception {
    // Held in state across calls, so not the instance Flink may reuse for the next record.
    Event event = routed.event.frozenCopy();
    long watermark = timers.currentWatermark();
    if (event.getTimestamp() < watermark) {
      lateEvents.inc();
    }
    if (rule.isAbsence()) {
      holdNewest(rule, event, timers);
      return;
    }

    RulePack pack = packs.pack(routed.ruleset);
    long now = System.currentTimeMillis();
    int version = packs.version(routed.ruleset);
    RuleSession session = sessions.get(routed.key, pack);
    // A group that holds facts has its cleanup timer pending (see startCleanup); a cached session
    // means the group holds facts, since the cleanup that empties a group drops its session.
    boolean firstFact = false;
    if (session == null) {
      List<Event> held = held();
      for (Event e : held) {
        if (e.getId().equals(event.getId())) {
          return; // a replay of an event this group already holds
        }
      }
      firstFact = held.isEmpty();
      if (held.size() < maxFactsPerGroup
          && inWindow(held, watermark, rule).size() + 1 < pack.minimumEvents(rule.id())) {
        // Too few events in the window for the rule to fire: held without asking Drools.
        facts.add(event);
        heldBelowMinimum.inc();
        if (firstFact) {
          startCleanup(timers, event.getTimestamp() + rule.window().toMillis());
        }
        return;
      }
      if (held.size() < OWN_SESSION_AT
          && evaluateInScratch(rule, pack, held, routed, event, watermark, version, now, out)) {
        facts.add(event);
        if (firstFact) {
          startCleanup(timers, event.getTimestamp() + rule.window().toMillis());
        }
        return;
      }
      session = rebuild(routed.key, pack, rule, held, watermark);
    }
    if (session.holds(event.getId())) {
      return; // a replay of an event this group already holds
    }
    for (Detection d : session.insert(event)) {
      out.collect(toFinding(routed.key, rule, version, d, event, now));
      findings.inc();
    }
    facts.add(event);

    // Forget by the watermark, not by the newest event: it lags by the out-of-orderness bound,
    // so an event that arrives late but within that bound still finds its window's facts. The
    // facts it passed are no triggers any more: no older event can come to complete their matches.
    long window = rule.window().toMillis();
    if (watermark != Long.MIN_VALUE) {
      session.retireBefore(watermark);
      session.forgetBefore(watermark - window);
    }
    if (session.size() > maxFactsPerGroup) {
      // A flood in one group: keep the newest, with some room so this does not repeat per event.
      droppedFacts.inc(session.trimTo(maxFactsPerGroup - maxFactsPerGroup / 10));
      dropFromState(session);
    }
    if (firstFact) {
      startCleanup(timers, event.getTimestamp() + window);
    }
  }

  /**
   * Drops from state the facts a flooded group's session let go, once state holds twice the bound.
   * Rewriting the list is logged in full to the state changelog, and doing it at every trim (every
   * tenth of the bound's events) took a third of the rule stage in a NetFlow run; this way a
   * rewrite comes after more events than it writes. A session rebuilt from the longer list trims it
   * at its next event.
   */
  private void dropFromState(RuleSession session) throws Exception {
    int stored = 0;
    for (Event ignored : facts.get()) {
      stored++;
    }
    if (stored <= 2 * maxFactsPerGroup) {
      return;
    }
    List<Event> kept = new ArrayList<>();
    for (Event e : facts.get()) {
      if (session.holds(e.getId())) {
        kept.add(e);
      }
    }
    facts.update(kept);
  }

  /**
   * The held facts the rule's window still covers at this watermark: the newest of them, since
   * {@code held} is oldest first.
   */
  private static List<Event> inWindow(List<Event> held, long watermark, RuleDefinition rule) {
    if (watermark == Long.MIN_VALUE) {
      return held;
    }
    long horizon = watermark - rule.window().toMillis();
    int first = 0;
    while (first < held.size() && held.get(first).getTimestamp() < horizon) {
      first++;
    }
    return held.subList(first, held.size());
  }

  /** The group's facts in state, oldest first. */
  private List<Event> held() throws Exception {
    List<Event> held = new ArrayList<>();
    for (Event e : facts.get()) {
      held.add(e);
    }
    held.sort(BY_TIME);
    return held;
  }

  /**
   * Evaluates an event of a group with few facts in the rule's scratch session, shared by such
   * groups and emptied after each use, instead of giving the group a session of its own: most
   * groups see an event or two in a window (one scanning address among a hundred thousand), and a
   * session opened, cached and evicted for each of them made allocation the rule stage's main cost.
   * Returns false, having done nothing, when the scratch session's clock is so far ahead of the
   * oldest event it would insert that Drools could expire it on insert; the group then gets its own
   * session.
   */
  private boolean evaluateInScratch(
      RuleDefinition rule,
      RulePack pack,
      List<Event> held,
      RoutedEvent routed,
      Event event,
      long watermark,
      int version,
      long now,
      Collector<Finding> out) {
    String scratchKey = RoutedEvent.keyOf(routed.ruleset, routed.ruleId, "");
    RuleSession scratch = scratchSessions.get(scratchKey, pack);
    if (scratch == null) {
      scratch = pack.openSession(rule.id());
      scratchSessions.put(scratchKey, pack, scratch);
    }
    List<Event> inWindow = inWindow(held, watermark, rule);
    // Drools expires an event once the clock is the pack's fact expiry past it, by the longest
    // window of the pack, not this rule's: a single-event rule (no window) must not fall back to
    // a session of its own for every event that arrives a little out of order.
    long oldest =
        inWindow.isEmpty()
            ? event.getTimestamp()
            : Math.min(event.getTimestamp(), inWindow.get(0).getTimestamp());
    if (oldest <= scratch.clockMillis() - pack.factExpiry().toMillis()) {
      return false;
    }
    try {
      scratch.restore(inWindow, watermark);
      for (Detection d : scratch.insert(event)) {
        out.collect(toFinding(routed.key, rule, version, d, event, now));
        findings.inc();
      }
      scratchEvaluations.inc();
      return true;
    } finally {
      if (!scratch.clear()) {
        scratchSessions.remove(scratchKey); // rules left facts of their own in it
      }
    }
  }

  /**
   * A live session for the group, built from the facts in state (whose detections were reported
   * when those facts arrived, so the rebuild's are dropped) and cached.
   */
  private RuleSession rebuild(
      String key, RulePack pack, RuleDefinition rule, List<Event> held, long watermark) {
    RuleSession session = pack.openSession(rule.id());
    session.restore(held, watermark);
    if (watermark != Long.MIN_VALUE) {
      session.forgetBefore(watermark - rule.window().toMillis());
    }
    sessionsRebuilt.inc();
    sessions.put(key, pack, session);
    return session;
  }

  /**
   * An absence rule's state: only the group's newest event, which is all a silence is judged by; a
   * busy source would otherwise hold the whole absence period of events.
   */
  private void holdNewest(RuleDefinition rule, Event event, TimerService timers) throws Exception {
    Event newest = event;
    for (Event e : facts.get()) {
      if (BY_TIME.compare(e, newest) > 0) {
        newest = e;
      }
    }
    facts.update(List.of(newest));
    moveDeadline(timers, newest.getTimestamp() + rule.absence().toMillis() + 1);
  }

  private void await(RoutedEvent routed, TimerService timers) throws Exception {
    // Held in state across calls, so not the instance Flink may reuse for the next record.
    RoutedEvent copy = new RoutedEvent();
    copy.key = routed.key;
    copy.ruleset = routed.ruleset;
    copy.ruleId = routed.ruleId;
    copy.packVersion = routed.packVersion;
    copy.event = new Event(routed.event.getId(), routed.event.getTimestamp());
    copy.event.setFields(routed.event.getFields());
    waiting.add(copy);
    eventsAwaitingRules.inc();
    if (waitingAt.value() == null) {
      long at = deadlineTime(Math.max(routed.event.getTimestamp(), timers.currentWatermark() + 1));
      timers.registerEventTimeTimer(at);
      waitingAt.update(at);
    }
  }

  private void retryWaiting(
      long timestamp, RulePacks current, TimerService timers, Collector<Finding> out)
      throws Exception {
    waitingAt.clear();
    List<RoutedEvent> still = new ArrayList<>();
    List<RoutedEvent> ready = new ArrayList<>();
    for (RoutedEvent r : waiting.get()) {
      if (r.packVersion <= current.version(r.ruleset)) {
        ready.add(r);
      } else if (timestamp - r.event.getTimestamp() > MAX_WAIT_MILLIS) {
        eventsDroppedAwaitingRules.inc();
        LOG.warn(
            "Dropping event {} for rule {}: release {} of ruleset {} never arrived",
            r.event.getId(),
            r.ruleId,
            r.packVersion,
            r.ruleset);
      } else {
        still.add(r);
      }
    }
    waiting.update(still);
    if (!still.isEmpty()) {
      long at = deadlineTime(timestamp + WAIT_RETRY_MILLIS);
      timers.registerEventTimeTimer(at);
      waitingAt.update(at);
    } else {
      waiting.clear();
    }
    for (RoutedEvent r : ready) {
      RuleDefinition rule = current.rule(r.ruleset, r.ruleId);
      if (rule != null) {
        evaluateOrSkip(rule, r, timers, out);
      }
    }
  }

  private void judgeSilence(
      RuleDefinition rule,
      String key,
      RulePacks current,
      long deadline,
      TimerService timers,
      Collector<Finding> out)
      throws Exception {
    absenceAt.clear();
    // The end of a bounded input (a replay, a test) moves the watermark to the end of time: every
    // deadline beyond the last real watermark fires then, and none of them is a silence.
    boolean endOfInput = timers.currentWatermark() == Long.MAX_VALUE;
    if (rule != null && rule.isAbsence() && !endOfInput) {
      List<Event> held = new ArrayList<>();
      for (Event e : facts.get()) {
        held.add(e);
      }
      if (!held.isEmpty()) {
        held.sort(BY_TIME);
        String ruleset = RoutedEvent.rulesetOf(key);
        Event newest = held.get(held.size() - 1);
        long now = System.currentTimeMillis();
        try {
          for (Detection d : current.pack(ruleset).evaluateAt(rule.id(), held, deadline)) {
            out.collect(toFinding(key, rule, current.version(ruleset), d, newest, now));
            findings.inc();
          }
        } catch (RuleFailureException e) {
          ruleFailed(key, rule, "the silence after event " + newest.getId(), e);
        }
      }
    }
    // The source fell silent: nothing held can matter to its next event, which starts a new wait.
    facts.clear();
  }

  private void forgetExpired(RuleDefinition rule, long timestamp, OnTimerContext ctx)
      throws Exception {
    TimerService timers = ctx.timerService();
    if (rule != null && rule.isAbsence()) {
      // Left from before a release made the rule an absence rule, whose deadline judges and
      // clears the group: a cleanup by a window could drop the newest event it judges by.
      return;
    }
    List<Event> kept = new ArrayList<>();
    if (rule != null) {
      // A fact whose window ends at or before the watermark can meet no future event.
      long window = rule.window().toMillis();
      for (Event e : facts.get()) {
        if (e.getTimestamp() + window > timestamp) {
          kept.add(e);
        }
      }
    }
    String key = ctx.getCurrentKey();
    if (kept.isEmpty()) {
      facts.clear();
      cleanupAt.clear();
      sessions.remove(key);
      return;
    }
    kept.sort(BY_TIME);
    facts.update(kept);
    RuleSession session = sessions.get(key, packs.pack(RoutedEvent.rulesetOf(key)));
    if (session != null) {
      session.retireBefore(timestamp);
      session.forgetBefore(timestamp - rule.window().toMillis() + 1);
    }
    startCleanup(timers, kept.get(kept.size() - 1).getTimestamp() + rule.window().toMillis());
  }

  private void registerVersionGauges() {
    for (String ruleset : packs.byRuleset().keySet()) {
      if (versionGauges.add(ruleset)) {
        getRuntimeContext()
            .getMetricGroup()
            .addGroup("ruleset", ruleset)
            .gauge("rulesVersion", (Gauge<Integer>) () -> packs.version(ruleset));
      }
    }
  }

  private void moveDeadline(TimerService timers, long asked) throws Exception {
    long at = deadlineTime(asked);
    Long scheduled = absenceAt.value();
    if (scheduled != null && scheduled >= at) {
      return; // a late event: the newest event, and with it the deadline, stays
    }
    if (scheduled != null) {
      dropTimer(timers, scheduled);
    }
    timers.registerEventTimeTimer(at);
    absenceAt.update(at);
  }

  /**
   * Starts the cleanup timer of a group that had no facts and now has one; a group that holds facts
   * always has one pending, so an event of such a group registers none. The timer stays where it
   * is, even when later facts expire later: when it fires, the group forgets what expired and
   * starts the next one from its newest fact. Moving the timer with every event cost a timer delete
   * and insert per event in a busy group, and finding out whether one was pending cost a state
   * lookup per event (a twentieth of the rule stage). Its parity marks it (see the class comment),
   * so nothing is written to state either.
   */
  private void startCleanup(TimerService timers, long at) throws Exception {
    timers.registerEventTimeTimer(cleanupTime(at));
  }

  /** {@code at} or the millisecond after, whichever is even: the time of a cleanup timer. */
  static long cleanupTime(long at) {
    return (at & 1) == 0 || at == Long.MAX_VALUE ? at & ~1L : at + 1;
  }

  /**
   * {@code at} or the millisecond after, whichever is odd: the time of an absence deadline or of a
   * look for a release.
   */
  static long deadlineTime(long at) {
    return at | 1;
  }

  /**
   * Deletes a timer its owner no longer needs, unless the other odd-timed purpose (absence
   * deadline, waiting events) fell on the same millisecond: Flink keeps one timer per key and time.
   */
  private void dropTimer(TimerService timers, long at) throws Exception {
    int users = 0;
    for (ValueState<Long> purpose : List.of(absenceAt, waitingAt)) {
      Long t = purpose.value();
      if (t != null && t == at) {
        users++;
      }
    }
    if (users <= 1) {
      timers.deleteEventTimeTimer(at);
    }
  }

  private static Finding toFinding(
      String key, RuleDefinition rule, int packVersion, Detection d, Event trigger, long now) {
    Finding f = new Finding();
    f.key = key;
    f.ruleId = d.ruleId();
    f.group.putAll(d.group());
    f.evidenceIds.addAll(d.evidenceIds());
    f.firstSeen = d.firstSeen();
    f.lastSeen = d.lastSeen();
    f.evidenceReceived = receivedAt(trigger, now);
    f.detected = now;
    f.organizationId = trigger.getOrganizationId();
    f.assetCriticality = trigger.text("vigil.asset.criticality");
    f.ruleName = rule.name();
    f.ruleVersion = rule.version();
    f.ruleset = rule.ruleset();
    f.ruleDescription = rule.description();
    f.severity = rule.severity();
    f.techniqueId = rule.techniqueId();
    f.suppressionMillis = rule.suppression().toMillis();
    f.packVersion = packVersion;
    return f;
  }

  private static long receivedAt(Event e, long fallback) {
    String ingested = e.text("event.ingested");
    if (ingested == null) {
      return fallback;
    }
    try {
      return Instant.parse(ingested).toEpochMilli();
    } catch (RuntimeException malformed) {
      return fallback;
    }
  }
}
