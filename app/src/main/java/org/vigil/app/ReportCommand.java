package org.vigil.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.vigil.bench.HostPort;
import org.vigil.dashboards.AuditEvent;
import org.vigil.dashboards.ElasticsearchAuditTrail;
import org.vigil.dashboards.ElasticsearchUserStore;
import org.vigil.dashboards.ReportFormat;
import org.vigil.dashboards.reports.ElasticsearchReportGenerator;
import org.vigil.dashboards.reports.Report;
import org.vigil.dashboards.reports.ReportContent;
import org.vigil.dashboards.reports.ReportDefinition;
import org.vigil.dashboards.reports.ReportPdf;
import org.vigil.dashboards.reports.SectionKind;
import org.vigil.elasticsearch.ElasticsearchClients;
import org.vigil.rules.engine.RuleDefinition;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vigil report}: compliance reports from the command line, for auditors' scripts and for
 * filing. {@code generate} writes the PDF or the CSV files of a report straight from Elasticsearch
 * and Kafka, auditing the generation (actor {@code cli:<OS user>}, with the content hash) before
 * the file appears; {@code verify} checks a PDF's printed hash against the content embedded in it.
 */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = "Generate and verify compliance reports.",
    subcommands = {
      ReportCommand.Generate.class,
      ReportCommand.Verify.class,
      CommandLine.HelpCommand.class
    })
final class ReportCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a report command is required");
  }

  @Command(
      name = "generate",
      mixinStandardHelpOptions = true,
      description = {
        "Generate a report now and write it to a file.",
        "Without --definition, every section over the framework and period given."
      },
      footer = {
        "",
        "Examples:",
        "  vigil report generate --framework nist-800-53 --period 7d --format pdf \\",
        "      --output week.pdf",
        "  vigil report generate --definition reports/weekly.yaml --agency health \\",
        "      --format csv --output week.zip"
      })
  static final class Generate implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--definition",
        paramLabel = "FILE",
        description = "A report definition file (YAML); its values yield to the options given.")
    Path definition;

    @Option(
        names = "--framework",
        paramLabel = "ID",
        description = "Control framework: nist-800-53 or iso-27001 (default: nist-800-53).")
    String framework;

    @Option(
        names = "--period",
        paramLabel = "DURATION",
        description = "How far back from now, e.g. 24h, 7d, 30d (default: 7d).")
    String period;

    @Option(
        names = "--agency",
        paramLabel = "ID",
        description = "Limit to this agency (organization.id); repeat for more. Default: all.")
    List<String> agencies = new ArrayList<>();

    @Option(
        names = "--section",
        paramLabel = "NAME",
        description =
            "Only these sections: coverage, detection, response, access, controls; repeat for"
                + " more. Default: all.")
    List<String> sections = new ArrayList<>();

    @Option(
        names = "--format",
        defaultValue = "pdf",
        paramLabel = "pdf|csv",
        description = "pdf, or csv for a zip of one CSV per table (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--output", required = true, paramLabel = "FILE", description = "Write here.")
    Path output;

    @Mixin UsersCommand.Store store;

    @Option(
        names = "--kafka",
        defaultValue = "localhost:9092",
        paramLabel = "HOST:PORT",
        description = "Kafka holding the rule releases (default: ${DEFAULT-VALUE}).")
    HostPort kafka;

    @Option(
        names = "--assets",
        paramLabel = "CSV",
        description =
            "Asset inventory CSV (cidr,agency,asset,owner,criticality), as given to vigil up:"
                + " the coverage section checks these assets reported.")
    Path assets;

    @Option(
        names = "--mappings",
        paramLabel = "DIR",
        description = "A folder of compliance mapping files extending the shipped frameworks.")
    Path mappings;

    @Override
    public Integer call() throws IOException {
      CommandLine cl = spec.commandLine();
      ReportFormat chosen;
      ReportDefinition asked;
      try {
        chosen = ReportFormat.fromWire(format);
        asked = definition();
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(cl, e.getMessage());
      }
      requireReadable(cl, assets, "--assets");
      Path parent = output.toAbsolutePath().getParent();
      if (parent == null || !Files.isDirectory(parent) || !Files.isWritable(parent)) {
        throw new CommandLine.ParameterException(
            cl, "--output " + output + ": its folder does not exist or is not writable");
      }
      try (ElasticsearchClients clients = store.open()) {
        requireReachable(clients);
        ElasticsearchAuditTrail audit =
            new ElasticsearchAuditTrail(clients.client(), Clock.systemUTC());
        ElasticsearchReportGenerator generator =
            new DashboardStores.ReportSources(null, assets, mappings)
                .generator(
                    clients.client(),
                    audit,
                    new ElasticsearchUserStore(clients.client()),
                    kafka.toString(),
                    Clock.systemUTC());
        String actor = UsersCommand.actor();
        Report report = generator.generate(asked, actor, null);
        String contentSha256 = ReportContent.sha256(report);
        byte[] file = chosen.render(report);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("name", asked.name());
        details.put("framework", asked.framework());
        details.put("from", report.from().toString());
        details.put("to", report.to().toString());
        details.put("agencies", asked.agencies());
        details.put("format", chosen.wireName());
        details.put("content_sha256", contentSha256);
        details.put("output", output.toAbsolutePath().toString());
        audit.ensureIndex();
        audit.append(AuditEvent.success(actor, null, "report.generate", asked.name(), details));
        Path partial = output.resolveSibling(output.getFileName() + ".partial");
        Files.write(partial, file);
        Files.move(partial, output, StandardCopyOption.REPLACE_EXISTING);
        PrintWriter out = cl.getOut();
        out.printf(
            "%s: %s report over %s to %s, %d bytes, content SHA-256 %s%n",
            output, chosen.wireName(), report.from(), report.to(), file.length, contentSha256);
        out.flush();
      }
      return 0;
    }

    /** One cheap request first, so a wrong address fails with the option to fix. */
    private void requireReachable(ElasticsearchClients clients) throws IOException {
      try {
        clients.client().cluster().health();
      } catch (IOException | RuntimeException e) {
        throw new IOException(
            "cannot reach Elasticsearch at " + store.elasticsearch + " (--elasticsearch): " + e, e);
      }
    }

    /** The definition file's, or the defaults', with the options given on top. */
    private ReportDefinition definition() throws IOException {
      ReportDefinition base =
          definition == null
              ? ReportDefinition.adHoc(framework, null, List.of())
              : ReportDefinition.load(definition);
      List<SectionKind> kinds = new ArrayList<>();
      sections.forEach(s -> kinds.add(SectionKind.fromWire(s)));
      Duration length =
          period == null ? base.period() : RuleDefinition.parseDuration("--period", period);
      return new ReportDefinition(
          base.name(),
          definition == null || framework == null ? base.title() : null,
          framework == null ? base.framework() : framework,
          length,
          agencies.isEmpty() ? base.agencies() : agencies,
          kinds.isEmpty() ? base.sections() : kinds,
          base.responseTargets(),
          base.silence(),
          base.schedule(),
          base.keep());
    }
  }

  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description = {
        "Check a report PDF: the content embedded in it (report.json) must hash to the",
        "SHA-256 printed in it. Exit 0 when it does, 1 when not."
      })
  static final class Verify implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "PDF", description = "The report PDF.")
    Path pdf;

    @Override
    public Integer call() throws IOException {
      CommandLine cl = spec.commandLine();
      requireReadable(cl, pdf, "PDF");
      ReportPdf.Verification result = ReportPdf.verify(Files.readAllBytes(pdf));
      PrintWriter out = cl.getOut();
      out.println(pdf + ": " + result.message());
      out.flush();
      return result.valid() ? 0 : 1;
    }
  }

  private static void requireReadable(CommandLine cl, Path file, String option) {
    if (file != null && !Files.isReadable(file)) {
      throw new CommandLine.ParameterException(
          cl, option + " " + file + ": no such file, or it cannot be read");
    }
  }
}
