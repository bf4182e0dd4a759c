package org.vigil.correlation.rules;

import org.apache.flink.api.common.state.BroadcastState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.rules.engine.RuleCompilationException;
import org.vigil.rules.engine.RulePack;
import org.vigil.rules.engine.RuleRelease;

/**
 * The one way an operator takes a rule release: newer than what it runs, compiled, then recorded in
 * broadcast state and swapped in. Shared by the router and the evaluator so both decide alike.
 */
final class RuleSwap {
  private static final Logger LOG = LoggerFactory.getLogger(RuleSwap.class);

  private RuleSwap() {}

  /**
   * The packs after the release, or {@code packs} itself when the release is not used: not newer
   * than the running version (a replay after recovery, or an out-of-order publish), or, which
   * {@link RuleReleaseCheck} should have prevented, malformed or not compiling.
   */
  static RulePacks apply(
      RulePacks packs, String releaseJson, BroadcastState<String, String> releases)
      throws Exception {
    RuleRelease release;
    try {
      release = RuleRelease.fromJson(releaseJson);
    } catch (IllegalArgumentException e) {
      LOG.error("Ignoring a malformed rule release: {}", e.getMessage());
      return packs;
    }
    int running = packs.version(release.ruleset());
    if (release.version() <= running) {
      LOG.info("Ignoring rule release {}: version {} already runs", release.describe(), running);
      return packs;
    }
    RulePack pack;
    try {
      pack = release.compile();
    } catch (RuleCompilationException e) {
      LOG.error(
          "Rule release {} does not compile here, version {} stays: {}",
          release.describe(),
          running,
          RuleReleaseCheck.summary(e.problems()));
      return packs;
    }
    releases.put(release.ruleset(), releaseJson);
    return packs.with(release, pack);
  }
}
