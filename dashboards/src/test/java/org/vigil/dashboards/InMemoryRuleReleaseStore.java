package org.vigil.dashboards;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.vigil.rules.engine.RuleRelease;

/** Releases in a list, oldest first, as Kafka's history topic holds them. */
final class InMemoryRuleReleaseStore implements RuleReleaseStore {
  private final List<RuleRelease> releases = new CopyOnWriteArrayList<>();

  @Override
  public List<RuleRelease> history(String ruleset) {
    return releases.stream().filter(r -> r.ruleset().equals(ruleset)).toList();
  }

  @Override
  public void publish(RuleRelease release) {
    releases.add(release);
  }
}
