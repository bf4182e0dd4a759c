package org.vigil.dashboards;

import java.util.List;
import org.vigil.rules.engine.RuleRelease;

/** Where rule releases are published and read back. Calls block (network). */
public interface RuleReleaseStore {

  /** Every release of the ruleset, oldest first; empty when only the shipped pack exists. */
  List<RuleRelease> history(String ruleset);

  /** Publishes the release; the correlation job picks it up without a restart. */
  void publish(RuleRelease release) throws InterruptedException;
}
