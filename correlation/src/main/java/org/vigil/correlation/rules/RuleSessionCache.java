package org.vigil.correlation.rules;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.vigil.rules.engine.RulePack;
import org.vigil.rules.engine.RuleSession;

/**
 * The live Drools sessions of the groups a rule-stage subtask saw last, least recently used first
 * out. A session is a cache over the facts in Flink state: one missing (evicted, or never built
 * since a restore) is rebuilt from them, and one built from a pack that has since been swapped out
 * is dropped on its next use. Not thread-safe: it belongs to one operator instance.
 */
final class RuleSessionCache {
  private final int capacity;
  private final LinkedHashMap<String, Entry> sessions;

  private record Entry(RulePack pack, RuleSession session) {}

  RuleSessionCache(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("the session cache needs room for one session");
    }
    this.capacity = capacity;
    this.sessions = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, true);
  }

  /** The session of this key built from {@code pack}, or null when there is none. */
  RuleSession get(String key, RulePack pack) {
    Entry e = sessions.get(key);
    if (e == null) {
      return null;
    }
    if (e.pack() != pack) {
      sessions.remove(key);
      e.session().close();
      return null;
    }
    return e.session();
  }

  void put(String key, RulePack pack, RuleSession session) {
    Entry previous = sessions.put(key, new Entry(pack, session));
    if (previous != null && previous.session() != session) {
      previous.session().close();
    }
    if (sessions.size() > capacity) {
      Iterator<Map.Entry<String, Entry>> eldest = sessions.entrySet().iterator();
      eldest.next().getValue().session().close();
      eldest.remove();
    }
  }

  /** Closes and forgets the session of this key, if any. */
  void remove(String key) {
    Entry e = sessions.remove(key);
    if (e != null) {
      e.session().close();
    }
  }

  int size() {
    return sessions.size();
  }

  void close() {
    sessions.values().forEach(e -> e.session().close());
    sessions.clear();
  }
}
