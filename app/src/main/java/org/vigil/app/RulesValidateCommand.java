package org.vigil.app;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.vigil.rules.engine.RulePack;
import org.vigil.rules.release.RulePackValidator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vigil rules validate}: what deploy would refuse, without Kafka. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Check DRL files without deploying them: compile errors, missing metadata (@id,",
      "@severity, @groupBy, @technique, @description), rules without test cases (for a",
      "folder), and code outside the allow-list (I/O, reflection, threads, processes,",
      "System, Runtime...). Each problem is printed as file:line. Exits 0 when valid.",
      "A valid rule with a @window whose trigger is not bound from entry-point",
      "\"arrivals\" gets a warning: it works, at a cost in busy groups."
    },
    footer = {"", "Example:", "  vigil rules validate my-pack/ extra.drl"})
final class RulesValidateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      arity = "1..*",
      paramLabel = "FILE|FOLDER",
      description = "DRL files, or pack folders whose *.drl files are taken.")
  List<Path> paths;

  @Option(
      names = "--ruleset",
      defaultValue = RulePack.BUILT_IN_ID,
      description = "Ruleset id the files are checked as (default: ${DEFAULT-VALUE}).")
  String ruleset;

  @Override
  public Integer call() throws Exception {
    RulePackValidator.Result result =
        RulePackValidator.validate(
            ruleset, RuleFiles.read(spec.commandLine(), paths), RuleFiles.folders(paths));
    if (result.valid()) {
      PrintWriter out = spec.commandLine().getOut();
      int rules = result.pack().rules().size();
      out.println("valid: " + rules + (rules == 1 ? " rule" : " rules"));
      result.warnings().forEach(w -> out.println("  warning: " + w));
      out.flush();
      return Vigil.EXIT_OK;
    }
    PrintWriter err = spec.commandLine().getErr();
    int n = result.problems().size();
    err.println("vigil: " + n + (n == 1 ? " problem:" : " problems:"));
    result.problems().forEach(p -> err.println("  " + p));
    err.flush();
    return Vigil.EXIT_ERROR;
  }
}
