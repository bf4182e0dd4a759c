package org.vigil.rules.engine;

import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.rule.Agenda;
import org.kie.api.runtime.rule.EntryPoint;
import org.kie.api.runtime.rule.FactHandle;
import org.kie.api.time.SessionPseudoClock;
import org.vigil.model.Event;

/**
 * A live Drools session of one rule over the facts of one group, fed one event at a time. Each
 * insert costs what the rule's joins over the held facts cost, rather than rebuilding the group's
 * whole history, which made a busy group quadratic. The session is a cache: the Flink operator
 * keeps the same facts in its state and rebuilds a session from them after a restore or an
 * eviction.
 *
 * <p>The pseudo clock only moves forward: an event older than the clock (out of order within the
 * job's bound) is inserted at the current time, and the rule's temporal operators still compare the
 * events' own timestamps. Facts are forgotten when the caller says so ({@link #forgetBefore}), by
 * the rule's own window, since Drools would keep every event for the longest window of the pack.
 *
 * <p>A rule whose match is completed by its newest event binds that event from the entry point
 * {@value RulePack#ARRIVALS}: {@code $trigger : Event( ... ) from entry-point "arrivals"}. Every
 * event goes into the default entry point, which the rule's windows read, and, for such a rule,
 * into arrivals too, from which the caller retires it ({@link #retireBefore}) once no event older
 * than it can come any more. Without that, every event the window holds stays a trigger: each
 * insert is joined with all of them and each expiry moves the triggers a {@code not} had blocked on
 * the expired event to the next, so a busy group cost in proportion to the square of its window.
 *
 * <p>Not thread-safe; close it to free the session.
 */
public final class RuleSession implements AutoCloseable {
  private final RuleDefinition rule;
  private final KieSession session;
  private final SessionPseudoClock clock;
  private final Detections detections;
  private final Agenda agenda;
  private final String group;
  private final EntryPoint arrivals;
  private final PriorityQueue<Held> held = new PriorityQueue<>(BY_TIME);

  /** The held facts still in {@link #arrivals}, oldest first; empty without that entry point. */
  private final PriorityQueue<Held> arriving = new PriorityQueue<>(BY_TIME);

  private final Set<String> ids = new HashSet<>();

  private static final Comparator<Held> BY_TIME = Comparator.comparingLong(h -> h.timestamp);

  /** A held fact: its handle in the default entry point and, until retired, in arrivals. */
  private static final class Held {
    final long timestamp;
    final String id;
    final FactHandle handle;
    FactHandle arrival;

    Held(long timestamp, String id, FactHandle handle) {
      this.timestamp = timestamp;
      this.id = id;
      this.handle = handle;
    }
  }

  RuleSession(RuleDefinition rule, KieSession session) {
    this.rule = rule;
    this.session = session;
    // Drools creates an entry point only for a rule that reads from it.
    this.arrivals = session.getEntryPoint(RulePack.ARRIVALS);
    this.clock = session.getSessionClock();
    this.detections = new Detections(rule);
    this.agenda = session.getAgenda();
    this.group = RulePack.groupOf(rule.id());
    session.setGlobal(RulePack.DETECTIONS_GLOBAL, detections);
  }

  public RuleDefinition rule() {
    return rule;
  }

  /**
   * Inserts one event and fires the rule: returns the detections this event completed, at most one
   * per triggering event. An event the rule does not {@link RuleDefinition#accepts accept} is left
   * out.
   *
   * @throws IllegalArgumentException for an event without an id
   * @throws RuleFailureException when the rule throws or loops on its own conclusions; the session
   *     may then hold part of what the rule did, so drop it
   */
  public List<Detection> insert(Event fact) {
    if (!hold(fact, true)) {
      return List.of();
    }
    fire("event " + fact.getId(), 1);
    return detections.drain();
  }

  /**
   * Inserts the fact, without firing, if the rule accepts it, and into arrivals when {@code
   * arriving}; returns whether it did.
   */
  private boolean hold(Event fact, boolean arriving) {
    if (fact.getId() == null) {
      throw new IllegalArgumentException("event without an id: " + fact);
    }
    if (!rule.accepts(fact)) {
      return false;
    }
    advance(fact.getTimestamp());
    Held h;
    try {
      // The window's copy first, so the trigger finds itself there as it did in one entry point.
      h = new Held(fact.getTimestamp(), fact.getId(), session.insert(fact));
      if (arriving && arrivals != null) {
        h.arrival = arrivals.insert(fact);
        this.arriving.add(h);
      }
    } catch (RuntimeException e) {
      throw failure("event " + fact.getId(), e);
    }
    held.add(h);
    ids.add(fact.getId());
    return true;
  }

  /**
   * Inserts facts whose detections were reported when they arrived (a group's held events, oldest
   * first, into a session rebuilt for it) and fires once, dropping what that raises. One firing
   * leaves the session as one per fact would: every match still true has fired and a later insert
   * raises only what it completes, but the rule's conditions are evaluated once for all the facts
   * instead of once per fact.
   *
   * <p>Facts older than {@code arrivingFrom} go into the default entry point only: they are retired
   * already (see {@link #retireBefore}). {@link Long#MIN_VALUE} retires none.
   *
   * @throws IllegalArgumentException for an event without an id
   * @throws RuleFailureException when the rule throws or loops on its own conclusions
   */
  public void restore(List<Event> facts, long arrivingFrom) {
    int inserted = 0;
    for (Event fact : facts) {
      if (hold(fact, fact.getTimestamp() >= arrivingFrom)) {
        inserted++;
      }
    }
    if (inserted > 0) {
      fire(inserted + " restored events", inserted);
      detections.drain();
    }
  }

  /**
   * Moves the clock to {@code clockMillis} (never back) and fires: what the silence up to then
   * completes, as an {@code @absence} rule's temporal {@code not}.
   */
  public List<Detection> advanceTo(long clockMillis) {
    advance(clockMillis);
    fire("the clock at " + clockMillis, 1);
    return detections.drain();
  }

  /**
   * Deletes the facts older than {@code horizon}, oldest first, so that no remaining fact loses a
   * later one. Returns how many facts the session still holds.
   */
  public int forgetBefore(long horizon) {
    while (!held.isEmpty() && held.peek().timestamp < horizon) {
      forgetOldest();
    }
    return held.size();
  }

  /**
   * Takes the facts older than {@code watermark} out of arrivals: no event older than they are can
   * come any more, so they can complete no match. They stay in the window for later triggers. An
   * event that comes late all the same (older than the watermark) is still a trigger when it is
   * inserted, and is retired by the next call.
   */
  public void retireBefore(long watermark) {
    while (!arriving.isEmpty() && arriving.peek().timestamp < watermark) {
      retire(arriving.poll());
    }
  }

  private void retire(Held h) {
    if (h.arrival == null) {
      return;
    }
    if (arrivals.getObject(h.arrival) != null) {
      arrivals.delete(h.arrival);
    }
    h.arrival = null;
  }

  /**
   * Deletes the oldest facts beyond {@code maxFacts} (a flood in one group); returns how many it
   * deleted. Every fact is retired first, whatever the watermark: a held trigger that a {@code not}
   * found blocked by the oldest fact would move to the next one as each is deleted, which cost a
   * flooded group the square of its size at every trim. Each event of a flood is still a trigger
   * when it is inserted; what the flood costs is that an event arriving out of order can no longer
   * complete the match of a newer trigger, only its own.
   */
  public int trimTo(int maxFacts) {
    if (held.size() <= maxFacts) {
      return 0;
    }
    retireBefore(Long.MAX_VALUE);
    int deleted = 0;
    while (held.size() > maxFacts) {
      forgetOldest();
      deleted++;
    }
    return deleted;
  }

  /** Whether an event with this id is held: a replayed event is not inserted twice. */
  public boolean holds(String eventId) {
    return ids.contains(eventId);
  }

  private void forgetOldest() {
    Held oldest = held.poll();
    ids.remove(oldest.id);
    retire(oldest); // clear() forgets facts that may still be triggers
    // Drools may have expired it already, by the pack's longest window.
    if (session.getObject(oldest.handle) != null) {
      session.delete(oldest.handle);
    }
  }

  /**
   * Deletes every fact, so the session can serve another group of the same rule. Returns false when
   * facts remain that rules inserted themselves: such a session cannot be reused.
   */
  public boolean clear() {
    forgetBefore(Long.MAX_VALUE);
    arriving.clear();
    detections.drain();
    return session.getFactCount() == 0;
  }

  /** The pseudo clock's time: the newest event time inserted or advanced to. */
  public long clockMillis() {
    return clock.getCurrentTime();
  }

  /** Whether the rule binds an event from {@value RulePack#ARRIVALS}. */
  public boolean readsArrivals() {
    return arrivals != null;
  }

  /** Facts inserted into arrivals and not yet retired, nor forgotten. */
  public int arriving() {
    return arrivals == null ? 0 : (int) arrivals.getFactCount();
  }

  /** Facts inserted and not yet forgotten. */
  public int size() {
    return held.size();
  }

  @Override
  public void close() {
    session.dispose();
  }

  private void advance(long toMillis) {
    long ahead = toMillis - clock.getCurrentTime();
    if (ahead > 0) {
      clock.advanceTime(ahead, TimeUnit.MILLISECONDS);
    }
  }

  private void fire(String cause, int facts) {
    // Focus is a stack and empties as groups run dry: push the rule, then the indicators above
    // it, so derived facts exist before the rule decides.
    agenda.getAgendaGroup(group).setFocus();
    agenda.getAgendaGroup(RulePack.DERIVE_GROUP).setFocus();
    int limit = (int) Math.min(Integer.MAX_VALUE, (long) RulePack.MAX_FIRINGS_PER_FACT * facts);
    int fired;
    try {
      fired = session.fireAllRules(limit);
    } catch (RuntimeException e) {
      throw failure(cause, e);
    }
    if (fired >= limit) {
      throw new RuleFailureException(
          rule.id(),
          "rule '"
              + rule.id()
              + "' fired "
              + fired
              + " times for "
              + cause
              + "; it loops on its own conclusions",
          null);
    }
  }

  private RuleFailureException failure(String cause, RuntimeException e) {
    return new RuleFailureException(
        rule.id(), "rule '" + rule.id() + "' failed on " + cause + ": " + e, e);
  }
}
