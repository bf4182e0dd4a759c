package org.vigil.app;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.vigil.correlation.parse.SyslogCaseDecoder;
import org.vigil.rules.engine.BuiltInPackFolder;
import org.vigil.rules.engine.RuleCaseRunner;
import org.vigil.rules.engine.RuleCaseRunner.CaseResult;
import org.vigil.rules.engine.RuleCompilationException;
import org.vigil.rules.engine.RulePack;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vigil rules test}: runs a pack's cases and its benign corpus through the real rule engine
 * with a pseudo clock (no Kafka, no Elasticsearch), raw syslog cases through the job's parser and
 * normalisers, and prints one line per rule.
 */
@Command(
    name = "test",
    mixinStandardHelpOptions = true,
    description = {
      "Run the test cases of a rule pack and its shared benign corpus.",
      "Without an argument, the shipped pack. Prints a pass/fail line per rule and,",
      "for each failure, what differs; exits non-zero on any failure, a rule without",
      "cases, a case folder without a rule, or a malformed case file."
    },
    footer = {
      "",
      "Examples:",
      "  vigil rules test",
      "  vigil rules test my-pack/",
      "  vigil rules test auth-brute-force",
      "  vigil rules test auth-brute-force --pack my-pack/"
    })
final class RulesTestCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      arity = "0..1",
      paramLabel = "PACK|RULE",
      description = "A pack folder (*.drl, cases/, benign/), or the id of one rule to test.")
  String target;

  @Option(
      names = "--pack",
      paramLabel = "FOLDER",
      description = "The pack folder of RULE (default: the shipped pack).")
  Path packFolder;

  @Option(
      names = "--ruleset",
      defaultValue = RulePack.BUILT_IN_ID,
      description = "Ruleset id a pack folder is compiled as (default: ${DEFAULT-VALUE}).")
  String ruleset;

  @Override
  public Integer call() throws Exception {
    CommandLine cl = spec.commandLine();
    String rule = null;
    Path folder = packFolder;
    if (target != null) {
      Path asPath = Path.of(target);
      if (Files.isDirectory(asPath) && packFolder == null) {
        folder = asPath;
      } else if (target.contains("/") || target.endsWith(".drl")) {
        throw new CommandLine.ParameterException(cl, "no such pack folder: " + target);
      } else {
        rule = target;
      }
    }
    long start = System.nanoTime();
    if (folder == null) {
      try (BuiltInPackFolder shipped = BuiltInPackFolder.open()) {
        return run(RulePack.builtIn(), shipped.path(), rule, "shipped pack", start);
      }
    }
    RulePack pack;
    try {
      pack = RulePack.compile(ruleset, RuleFiles.read(cl, List.of(folder)));
    } catch (RuleCompilationException e) {
      PrintWriter err = cl.getErr();
      err.println("vigil: pack " + folder + " does not compile:");
      e.problems().forEach(p -> err.println("  " + p));
      err.flush();
      return Vigil.EXIT_ERROR;
    }
    return run(pack, folder, rule, "pack " + folder, start);
  }

  private int run(RulePack pack, Path folder, String rule, String what, long start)
      throws Exception {
    if (rule != null && pack.rule(rule) == null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "the " + what + " has no rule '" + rule + "' (and no folder of that name exists)");
    }
    List<CaseResult> results = new RuleCaseRunner(pack, new SyslogCaseDecoder()).runPack(folder);
    if (rule != null) {
      String only = rule;
      results = results.stream().filter(r -> r.ruleId().equals(only)).toList();
    }
    Map<String, List<CaseResult>> byRule = new LinkedHashMap<>();
    for (CaseResult r : results) {
      byRule.computeIfAbsent(r.ruleId(), k -> new ArrayList<>()).add(r);
    }
    PrintWriter out = spec.commandLine().getOut();
    int width = "RULE".length();
    for (String id : byRule.keySet()) {
      width = Math.max(width, id.length());
    }
    String row = "%-" + width + "s  %5s  %5s  %s%n";
    out.printf(row, "RULE", "CASES", "BENIGN", "RESULT");
    int failedRules = 0;
    List<CaseResult> failures = new ArrayList<>();
    for (Map.Entry<String, List<CaseResult>> entry : byRule.entrySet()) {
      long cases =
          entry.getValue().stream()
              .filter(r -> !r.caseName().equals("*") && !r.caseName().startsWith("benign/"))
              .count();
      long benign =
          entry.getValue().stream().filter(r -> r.caseName().startsWith("benign/")).count();
      List<CaseResult> failed = entry.getValue().stream().filter(r -> !r.passed()).toList();
      failures.addAll(failed);
      if (!failed.isEmpty()) {
        failedRules++;
      }
      out.printf(row, entry.getKey(), cases, benign, failed.isEmpty() ? "pass" : "FAIL");
    }
    if (!failures.isEmpty()) {
      out.println();
      out.println("Failures:");
      for (CaseResult f : failures) {
        out.println("  " + f);
      }
    }
    out.println();
    long millis = (System.nanoTime() - start) / 1_000_000;
    out.println(
        (failures.isEmpty() ? "ok: " : "FAILED: ")
            + byRule.size()
            + " rules, "
            + results.size()
            + " checks, "
            + failures.size()
            + " failed ("
            + failedRules
            + " rules) in "
            + millis
            + " ms ("
            + what
            + ")");
    out.flush();
    return failures.isEmpty() && !results.isEmpty() ? Vigil.EXIT_OK : Vigil.EXIT_ERROR;
  }
}
