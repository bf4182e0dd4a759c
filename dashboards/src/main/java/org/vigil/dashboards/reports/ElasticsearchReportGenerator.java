package org.vigil.dashboards.reports;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.vigil.dashboards.AuditTrail;
import org.vigil.dashboards.UserStore;
import org.vigil.rules.engine.RuleRelease;

/**
 * Generates reports from Elasticsearch (events, alerts, triage activity, the audit trail), the rule
 * releases and the asset inventory: each section by its own {@link SectionBuilder}, in print order,
 * the control mapping last since it cites the others.
 *
 * <p>The period ends at the generation time (or the due time of a scheduled run) rounded down to
 * the second, the precision the report prints, so the period it states is exactly the one it
 * counted.
 */
public final class ElasticsearchReportGenerator implements ReportGenerator {
  private final ElasticsearchClient client;
  private final AuditTrail audit;
  private final UserStore users;
  private final Supplier<List<RuleRelease>> ruleReleases;
  private final List<InventoryAsset> inventory;
  private final ComplianceFrameworks frameworks;
  private final Clock clock;

  /**
   * @param users the dashboard's users: an agency's report counts the audit actions of that
   *     agency's users only
   * @param ruleReleases reads every rule release when a report needs them (Kafka)
   * @param inventory the assets expected to report; empty when no inventory is known
   */
  public ElasticsearchReportGenerator(
      ElasticsearchClient client,
      AuditTrail audit,
      UserStore users,
      Supplier<List<RuleRelease>> ruleReleases,
      List<InventoryAsset> inventory,
      ComplianceFrameworks frameworks,
      Clock clock) {
    this.client = client;
    this.audit = audit;
    this.users = users;
    this.ruleReleases = ruleReleases;
    this.inventory = List.copyOf(inventory);
    this.frameworks = frameworks;
    this.clock = clock;
  }

  @Override
  public Report generate(ReportDefinition definition, String generatedBy, Instant periodEnd)
      throws IOException {
    ComplianceFramework framework = frameworks.get(definition.framework());
    Instant generatedAt = clock.instant();
    Instant to = (periodEnd == null ? generatedAt : periodEnd).truncatedTo(ChronoUnit.SECONDS);
    Instant from = to.minus(definition.period());
    ReportContext context =
        new ReportContext(
            client,
            definition,
            from,
            to,
            inventory.stream()
                .filter(
                    a ->
                        definition.agencies().isEmpty()
                            || definition.agencies().contains(a.agency()))
                .toList(),
            ruleReleases.get(),
            audit,
            framework);
    Map<SectionKind, ReportSection> built = new EnumMap<>(SectionKind.class);
    List<ReportSection> sections = new ArrayList<>();
    for (SectionKind kind : definition.sections()) {
      ReportSection section = builder(kind).build(context, Map.copyOf(built));
      built.put(kind, section);
      sections.add(section);
    }
    return new Report(definition, from, to, generatedAt, generatedBy, sections);
  }

  private SectionBuilder builder(SectionKind kind) {
    return switch (kind) {
      case COVERAGE -> new CoverageSection();
      case DETECTION -> new DetectionSection();
      case RESPONSE -> new ResponseSection();
      case ACCESS -> new AccessSection(users);
      case CONTROLS -> new ControlsSection();
    };
  }
}
