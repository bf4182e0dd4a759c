package org.vigil.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.vigil.bench.HostPort;
import org.vigil.correlation.parse.SyslogCaseDecoder;
import org.vigil.dashboards.AuditEvent;
import org.vigil.dashboards.ElasticsearchAuditTrail;
import org.vigil.elasticsearch.ElasticsearchClients;
import org.vigil.elasticsearch.ElasticsearchSettings;
import org.vigil.rules.engine.RuleCaseRunner;
import org.vigil.rules.engine.RuleCaseRunner.CaseResult;
import org.vigil.rules.engine.RulePack;
import org.vigil.rules.engine.RuleRelease;
import org.vigil.rules.release.RulePackValidator;
import org.vigil.rules.release.RuleReleasePublisher;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vigil rules}: rule pack administration. {@code test} runs a pack's cases, {@code validate}
 * checks DRL without deploying, {@code deploy} validates, tests and publishes DRL files as the next
 * release of a ruleset to {@code vigil.rules} (from where the running correlation job swaps them in
 * without a restart) and to {@code vigil.rules.history}; {@code history} lists the releases and
 * {@code rollback} deploys an earlier one again.
 */
@Command(
    name = "rules",
    mixinStandardHelpOptions = true,
    description = "Administer rule packs.",
    subcommands = {
      RulesTestCommand.class,
      RulesValidateCommand.class,
      RulesCommand.Deploy.class,
      RulesCommand.History.class,
      RulesCommand.Rollback.class,
      CommandLine.HelpCommand.class
    })
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
        "Validate DRL files and publish them as the next version of a ruleset.",
        "Nothing is published when vigil rules validate would report a problem (every",
        "one is listed as file:line) or, for a folder with cases/, when a test case",
        "fails. The release replaces the whole ruleset (a release of 'vigil' replaces",
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

    @Mixin RulesetAddress address;

    @Mixin Deployer deployer;

    @Override
    public Integer call() throws Exception {
      CommandLine cl = spec.commandLine();
      Map<String, String> files = RuleFiles.read(cl, paths);
      try {
        RuleRelease.of(address.ruleset, 1, deployer.name(), Instant.now(), files);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(cl, e.getMessage());
      }
      List<Path> folders = RuleFiles.folders(paths);
      RulePackValidator.Result result = RulePackValidator.validate(address.ruleset, files, folders);
      if (!result.valid()) {
        return refuse(cl, address.ruleset, result.problems());
      }
      List<String> failed = new ArrayList<>();
      for (Path folder : folders) {
        if (Files.isDirectory(folder.resolve("cases"))) {
          for (CaseResult r :
              new RuleCaseRunner(result.pack(), new SyslogCaseDecoder()).runPack(folder)) {
            if (!r.passed()) {
              failed.add("test case " + r);
            }
          }
        }
      }
      if (!failed.isEmpty()) {
        return refuse(cl, address.ruleset, failed);
      }
      result.warnings().forEach(w -> cl.getErr().println("vigil: warning: " + w));
      return publish(cl, address.kafka, deployer, address.ruleset, files, "", result.pack());
    }
  }

  /** Prints why a ruleset is not deployed and returns the error exit code. */
  static int refuse(CommandLine cl, String ruleset, List<String> problems) {
    PrintWriter err = cl.getErr();
    err.println(
        "vigil: ruleset "
            + ruleset
            + " not deployed, "
            + problems.size()
            + (problems.size() == 1 ? " error:" : " errors:"));
    for (String problem : problems) {
      err.println("  " + problem);
    }
    err.flush();
    return Vigil.EXIT_ERROR;
  }

  /** Publishes the files as the next version of the ruleset and says so. */
  static int publish(
      CommandLine cl,
      HostPort kafka,
      Deployer deployer,
      String ruleset,
      Map<String, String> files,
      String note,
      RulePack pack)
      throws InterruptedException, IOException {
    RuleReleasePublisher publisher =
        new RuleReleasePublisher(kafka.toString(), Deploy.KAFKA_TIMEOUT);
    int version = publisher.latestVersion(ruleset) + 1;
    RuleRelease release =
        RuleRelease.of(ruleset, version, deployer.name(), Instant.now(), files, note);
    deployer.audit(release, pack.rules().size());
    publisher.publish(release);
    int rules = pack.rules().size();
    PrintWriter out = cl.getOut();
    out.println(
        "deployed ruleset "
            + ruleset
            + " version "
            + version
            + " ("
            + rules
            + (rules == 1 ? " rule" : " rules")
            + ") by "
            + release.deployedBy()
            + (note.isEmpty() ? "" : ": " + note));
    out.flush();
    return Vigil.EXIT_OK;
  }

  /** The ruleset a command works on and the Kafka cluster that holds its releases. */
  static final class RulesetAddress {
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
  }

  /** Who deploys or rolls back, recorded in the release. */
  static final class Deployer {
    @Option(
        names = "--user",
        paramLabel = "NAME",
        description = "Who deploys, recorded in the release (default: $USER).")
    String user;

    @Option(
        names = "--elasticsearch",
        paramLabel = "URL",
        defaultValue = "http://127.0.0.1:9200",
        description =
            "Elasticsearch holding the audit trail (vigil-audit): every deploy and rollback is"
                + " recorded there before it is published (default: ${DEFAULT-VALUE}).")
    URI elasticsearch;

    /**
     * Records the release in the audit trail, as the dashboard does for its deploys. Nothing is
     * published unless this succeeds: auditors must see every rule change, whichever way it came.
     */
    void audit(RuleRelease release, int rules) throws IOException {
      try (ElasticsearchClients es =
          ElasticsearchClients.create(
              ElasticsearchSettings.of(elasticsearch).withRequestTimeout(Deploy.KAFKA_TIMEOUT))) {
        ElasticsearchAuditTrail trail = new ElasticsearchAuditTrail(es.client(), Clock.systemUTC());
        trail.ensureIndex();
        trail.append(AuditEvent.ruleDeploy(release, rules, null, "vigil rules"));
      } catch (IOException | RuntimeException e) {
        throw new IOException(
            "nothing deployed: cannot record the deploy in the audit trail at Elasticsearch "
                + elasticsearch
                + " (--elasticsearch): "
                + Vigil.oneLine(e),
            e);
      }
    }

    /** The --user option, else $USER, else the JVM's user name. */
    String name() {
      if (user != null && !user.isBlank()) {
        return user;
      }
      String env = System.getenv("USER");
      return env != null && !env.isBlank() ? env : System.getProperty("user.name", "unknown");
    }
  }

  /** {@code vigil rules history}. */
  @Command(
      name = "history",
      mixinStandardHelpOptions = true,
      description = {
        "List every deployed version of a ruleset: version, who deployed it and when,",
        "its number of rules, content hash and note. Version 0 is the shipped pack."
      },
      footer = {"", "Example:", "  vigil rules history --ruleset vigil --kafka kafka:9092"})
  static final class History implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin RulesetAddress address;

    @Override
    public Integer call() {
      List<RuleRelease> history =
          new RuleReleasePublisher(address.kafka.toString(), Deploy.KAFKA_TIMEOUT)
              .history(address.ruleset);
      PrintWriter out = spec.commandLine().getOut();
      if (history.isEmpty()) {
        out.println(
            "ruleset "
                + address.ruleset
                + " has no deployed version"
                + (address.ruleset.equals(RulePack.BUILT_IN_ID) ? ": the shipped pack runs" : ""));
        out.flush();
        return Vigil.EXIT_OK;
      }
      String row = "%7s  %-16s  %-24s  %5s  %-19s  %s%n";
      out.printf(row, "VERSION", "DEPLOYED BY", "DEPLOYED AT", "RULES", "HASH", "NOTE");
      int live = history.get(history.size() - 1).version();
      for (RuleRelease r : history) {
        String hash = r.contentHash();
        out.printf(
            row,
            r.version() + (r.version() == live ? "*" : ""),
            r.deployedBy(),
            r.deployedAt(),
            r.ruleCount(),
            hash.length() > 19 ? hash.substring(0, 19) : hash,
            r.note());
      }
      out.println("* live");
      out.flush();
      return Vigil.EXIT_OK;
    }
  }

  /** {@code vigil rules rollback}. */
  @Command(
      name = "rollback",
      mixinStandardHelpOptions = true,
      description = {
        "Deploy the files of an earlier version again, as a new version noted",
        "'rollback to version N'. The files are validated as by deploy; history keeps",
        "every version, so a rollback can itself be rolled back."
      },
      footer = {"", "Example:", "  vigil rules rollback 3 --ruleset vigil --kafka kafka:9092"})
  static final class Rollback implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "VERSION", description = "The version to go back to.")
    int version;

    @Mixin RulesetAddress address;

    @Mixin Deployer deployer;

    @Override
    public Integer call() throws Exception {
      CommandLine cl = spec.commandLine();
      List<RuleRelease> history =
          new RuleReleasePublisher(address.kafka.toString(), Deploy.KAFKA_TIMEOUT)
              .history(address.ruleset);
      RuleRelease target =
          history.stream().filter(r -> r.version() == version).findFirst().orElse(null);
      if (target == null) {
        throw new CommandLine.ParameterException(
            cl,
            "ruleset "
                + address.ruleset
                + " has no version "
                + version
                + (history.isEmpty()
                    ? " (nothing deployed yet)"
                    : " (versions: "
                        + history.stream().map(r -> String.valueOf(r.version())).toList()
                        + "; see vigil rules history)"));
      }
      RulePackValidator.Result result =
          RulePackValidator.validate(address.ruleset, target.files(), List.of());
      if (!result.valid()) {
        return refuse(cl, address.ruleset, result.problems());
      }
      return publish(
          cl,
          address.kafka,
          deployer,
          address.ruleset,
          target.files(),
          "rollback to version " + version,
          result.pack());
    }
  }
}
