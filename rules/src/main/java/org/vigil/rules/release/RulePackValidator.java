package org.vigil.rules.release;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.vigil.rules.engine.RuleCompilationException;
import org.vigil.rules.engine.RuleDefinition;
import org.vigil.rules.engine.RulePack;

/**
 * What {@code vigil rules validate} reports and {@code deploy} and {@code rollback} refuse: compile
 * errors and forbidden code ({@link RulePack#compile}, which holds rules to the allow-list of
 * {@code RuleCodePolicy}), rules without the metadata analysts and auditors rely on ({@code @id},
 * {@code @severity}, {@code @groupBy}, {@code @technique}, {@code @description}), and, for a pack
 * folder, rules without a case folder. It also warns, without refusing, of a rule with a window
 * whose trigger is not bound from {@link RulePack#ARRIVALS}.
 */
public final class RulePackValidator {
  private static final Pattern RULE_LINE = Pattern.compile("(?m)^\\s*rule\\s+\"([^\"]*)\"");

  /**
   * @param pack the compiled pack; null when it does not compile
   * @param problems each as {@code file:line: text}; empty when the pack is valid
   * @param warnings each as {@code file:line: text}: what works but costs, for the rule admin
   */
  public record Result(RulePack pack, List<String> problems, List<String> warnings) {
    public Result {
      problems = List.copyOf(problems);
      warnings = List.copyOf(warnings);
    }

    public boolean valid() {
      return pack != null && problems.isEmpty();
    }
  }

  private RulePackValidator() {}

  /**
   * @param ruleset the ruleset the files are deployed as
   * @param files DRL text by file name
   * @param packFolders folders given on the command line: each rule needs {@code cases/<id>/} in
   *     one of them (none given: cases are not required)
   */
  public static Result validate(String ruleset, Map<String, String> files, List<Path> packFolders) {
    RulePack pack;
    try {
      pack = RulePack.compile(ruleset, files);
    } catch (RuleCompilationException e) {
      return new Result(null, e.problems(), List.of());
    }
    List<String> problems = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    for (RuleDefinition rule : pack.rules()) {
      String where = locate(files, rule.name()) + ": rule \"" + rule.name() + "\": ";
      if (rule.techniqueId() == null || rule.techniqueId().isBlank()) {
        problems.add(where + "missing @technique(\"T....\") (the ATT&CK technique)");
      }
      if (rule.description() == null || rule.description().isBlank()) {
        problems.add(where + "missing @description(\"...\") (what an analyst is told)");
      }
      if (!packFolders.isEmpty()
          && packFolders.stream()
              .noneMatch(f -> Files.isDirectory(f.resolve("cases").resolve(rule.id())))) {
        problems.add(
            where
                + "no test cases: create "
                + packFolders.get(0).resolve("cases").resolve(rule.id())
                + "/expected.yaml and its case files");
      }
      if (!rule.window().isZero() && !rule.isAbsence() && !pack.readsArrivals(rule.id())) {
        warnings.add(
            where
                + "binds no event from entry-point \""
                + RulePack.ARRIVALS
                + "\": every event of its window stays a trigger, so a busy group costs the"
                + " square of the window and a match is raised again as the window slides; bind"
                + " the event that completes the match with '$trigger : Event( ... ) from"
                + " entry-point \""
                + RulePack.ARRIVALS
                + "\"' (rules/README.md)");
      }
    }
    return new Result(pack, problems, warnings);
  }

  /** {@code file:line} of the rule's declaration. */
  private static String locate(Map<String, String> files, String ruleName) {
    for (Map.Entry<String, String> file : files.entrySet()) {
      Matcher m = RULE_LINE.matcher(file.getValue());
      while (m.find()) {
        if (m.group(1).equals(ruleName)) {
          int line = 1;
          for (int i = 0; i < m.start(1); i++) {
            if (file.getValue().charAt(i) == '\n') {
              line++;
            }
          }
          return file.getKey() + ":" + line;
        }
      }
    }
    return "(pack)";
  }
}
