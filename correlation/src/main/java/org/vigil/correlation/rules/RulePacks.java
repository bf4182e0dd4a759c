package org.vigil.correlation.rules;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.rules.engine.RuleCompilationException;
import org.vigil.rules.engine.RuleDefinition;
import org.vigil.rules.engine.RulePack;
import org.vigil.rules.engine.RuleRelease;

/**
 * The rule packs one subtask runs, by ruleset id, each with its release version. Immutable: a
 * release makes a new instance, so a swap is one field assignment and every event sees either the
 * old packs or the new ones, never a mix.
 *
 * <p>The built-in pack is ruleset {@code vigil} at version 0 until a release of {@code vigil}
 * replaces it; releases of other ruleset ids add packs beside it.
 *
 * <p>What survives a restore is {@link #RELEASES}, the broadcast state of every operator that holds
 * packs: the wire form of each ruleset's current release. Packs are recompiled from it (once per
 * JVM, {@link RuleRelease#compile()}), since a compiled pack is not Flink state.
 */
public final class RulePacks {
  /** Broadcast state: ruleset id to its current release's JSON. */
  public static final MapStateDescriptor<String, String> RELEASES =
      new MapStateDescriptor<>("rule-releases", Types.STRING, Types.STRING);

  /** The version of a ruleset the subtask does not run. */
  public static final int UNKNOWN = -1;

  /** A ruleset's compiled pack and the version of the release it came from. */
  public record Active(int version, RulePack pack) {}

  private static final Logger LOG = LoggerFactory.getLogger(RulePacks.class);

  private final Map<String, Active> byRuleset;

  private RulePacks(Map<String, Active> byRuleset) {
    this.byRuleset = Collections.unmodifiableMap(byRuleset);
  }

  /** The built-in pack alone. */
  public static RulePacks builtIn() {
    Map<String, Active> packs = new LinkedHashMap<>();
    packs.put(RulePack.BUILT_IN_ID, new Active(RuleRelease.BUILT_IN_VERSION, RulePack.builtIn()));
    return new RulePacks(packs);
  }

  /**
   * The built-in pack overlaid with the releases held in broadcast state.
   *
   * @throws IllegalStateException if a release held in state no longer compiles (it compiled when
   *     it was accepted, so only a changed engine can cause this)
   */
  public static RulePacks restore(Iterable<Map.Entry<String, String>> releases) {
    RulePacks packs = builtIn();
    for (Map.Entry<String, String> entry : releases) {
      RuleRelease release = RuleRelease.fromJson(entry.getValue());
      try {
        packs = packs.with(release, release.compile());
      } catch (RuleCompilationException e) {
        throw new IllegalStateException(
            "the deployed release " + release.describe() + " held in state no longer compiles", e);
      }
    }
    return packs;
  }

  /**
   * The packs {@link #restore restored} as a rule-stage subtask starts, with every rule's knowledge
   * base built ({@link RulePack#buildRuleBases}), so that the first events after a start or a
   * restore do not wait for the compiler. Once per JVM: the packs and their bases are shared.
   */
  public static RulePacks restoreAndBuild(Iterable<Map.Entry<String, String>> releases) {
    long start = System.nanoTime();
    RulePacks packs = restore(releases);
    for (Active active : packs.byRuleset.values()) {
      active.pack().buildRuleBases();
    }
    LOG.info(
        "Rule packs ready in {} ms: {}", (System.nanoTime() - start) / 1_000_000, packs.describe());
    return packs;
  }

  /** "vigil version 3 (44 rules), bench version 1 (50 rules)", for logs. */
  String describe() {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, Active> e : byRuleset.entrySet()) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(e.getKey())
          .append(" version ")
          .append(e.getValue().version())
          .append(" (")
          .append(e.getValue().pack().rules().size())
          .append(" rules)");
    }
    return sb.toString();
  }

  /** These packs with the release's pack in place of its ruleset's. */
  public RulePacks with(RuleRelease release, RulePack pack) {
    Map<String, Active> next = new LinkedHashMap<>(byRuleset);
    next.put(release.ruleset(), new Active(release.version(), pack));
    return new RulePacks(next);
  }

  /** The running version of the ruleset, or {@link #UNKNOWN}. */
  public int version(String ruleset) {
    Active active = byRuleset.get(ruleset);
    return active == null ? UNKNOWN : active.version();
  }

  /** The ruleset's pack, or null. */
  public RulePack pack(String ruleset) {
    Active active = byRuleset.get(ruleset);
    return active == null ? null : active.pack();
  }

  /** The rule, or null when its ruleset or the rule is not (or no longer) deployed. */
  public RuleDefinition rule(String ruleset, String ruleId) {
    RulePack pack = pack(ruleset);
    return pack == null ? null : pack.rule(ruleId);
  }

  public Map<String, Active> byRuleset() {
    return byRuleset;
  }
}
