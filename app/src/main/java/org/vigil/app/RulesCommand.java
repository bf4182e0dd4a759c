package org.vigil.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.vigil.app.rules.RuleReleasePublisher;
import org.vigil.bench.HostPort;
import org.vigil.rules.engine.RuleCompilationException;
import org.vigil.rules.engine.RulePack;
import org.vigil.rules.engine.RuleRelease;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vigil rules}: rule pack administration. {@code deploy} compiles DRL files and publishes
 * them as the next release of a ruleset to {@code vigil.rules}, from where the running correlation
 * job swaps them in without a restart.
 */
@Command(
    name = "rules",
    mixinStandardHelpOptions = true,
    description = "Administer rule packs.",
    subcommands = {RulesCommand.Deploy.class, CommandLine.HelpCommand.class})
final class RulesCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a rules command is required");
  }

  /** {@code vigil rules deploy}. */
  @Command(
      name = "deploy",
      mixinStandardHelpOptions = true,
      description = {
        "Compile DRL files and publish them as the next version of a ruleset.",
        "Nothing is published when a file does not compile: every error is listed as",
        "file:line. The release replaces the whole ruleset (a release of 'vigil' replaces",
        "the shipped rules); the running job swaps it in without a restart."
      },
      footer = {"", "Example:", "  vigil rules deploy rules/ --ruleset vigil --kafka kafka:9092"})
  static final class Deploy implements Callable<Integer> {
    /** Bound on each Kafka request: a wrong address fails instead of hanging. */
    static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(10);

    @Spec CommandSpec spec;

    @Parameters(
        arity = "1..*",
        paramLabel = "PATH",
        description = "DRL files, or folders whose *.drl files are taken.")
    List<Path> paths;

    @Option(
        names = "--ruleset",
        defaultValue = RulePack.BUILT_IN_ID,
        description = "Ruleset id (default: ${DEFAULT-VALUE}, the shipped rules).")
    String ruleset;

    @Option(
        names = "--kafka",
        defaultValue = "localhost:9092",
        paramLabel = "HOST:PORT",
        description = "Kafka bootstrap server (default: ${DEFAULT-VALUE}).")
    HostPort kafka;

    @Option(
        names = "--user",
        paramLabel = "NAME",
        description = "Who deploys, recorded in the release (default: $USER).")
    String user;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      Map<String, String> files = read(paths);
      RuleRelease draft;
      try {
        draft = RuleRelease.of(ruleset, 1, deployer(), Instant.now(), files);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
      int rules;
      try {
        rules = draft.compile().rules().size();
      } catch (RuleCompilationException e) {
        err.println(
            "vigil: ruleset "
                + ruleset
                + " not deployed, "
                + e.problems().size()
                + (e.problems().size() == 1 ? " error:" : " errors:"));
        for (String problem : e.problems()) {
          err.println("  " + problem);
        }
        err.flush();
        return Vigil.EXIT_ERROR;
      }
      RuleReleasePublisher publisher = new RuleReleasePublisher(kafka.toString(), KAFKA_TIMEOUT);
      int version = publisher.latestVersion(ruleset) + 1;
      RuleRelease release =
          RuleRelease.of(ruleset, version, draft.deployedBy(), draft.deployedAt(), files);
      publisher.publish(release);
      out.println(
          "deployed ruleset "
              + ruleset
              + " version "
              + version
              + " ("
              + rules
              + (rules == 1 ? " rule" : " rules")
              + ") by "
              + release.deployedBy());
      out.flush();
      return Vigil.EXIT_OK;
    }

    private String deployer() {
      if (user != null && !user.isBlank()) {
        return user;
      }
      String env = System.getenv("USER");
      return env != null && !env.isBlank() ? env : System.getProperty("user.name", "unknown");
    }

    /** DRL text by file name: files as given, folders' *.drl in name order. */
    private Map<String, String> read(List<Path> paths) throws IOException {
      Map<String, String> files = new LinkedHashMap<>();
      for (Path path : paths) {
        List<Path> drls = new ArrayList<>();
        if (Files.isDirectory(path)) {
          try (DirectoryStream<Path> dir = Files.newDirectoryStream(path, "*.drl")) {
            dir.forEach(drls::add);
          }
          if (drls.isEmpty()) {
            throw new CommandLine.ParameterException(
                spec.commandLine(), "folder " + path + " holds no .drl file");
          }
          drls.sort(null);
        } else if (Files.isRegularFile(path)) {
          drls.add(path);
        } else {
          throw new CommandLine.ParameterException(
              spec.commandLine(), "no such file or folder: " + path);
        }
        for (Path drl : drls) {
          String name = drl.getFileName().toString();
          if (files.put(name, Files.readString(drl, StandardCharsets.UTF_8)) != null) {
            throw new CommandLine.ParameterException(
                spec.commandLine(),
                "two files are named " + name + ": a release names its files without folders");
          }
        }
      }
      return files;
    }
  }
}
