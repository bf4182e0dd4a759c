package org.vigil.dashboards.reports;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import java.time.Instant;
import java.util.List;
import org.vigil.dashboards.AuditTrail;
import org.vigil.rules.engine.RuleRelease;

/**
 * Everything a section is computed from.
 *
 * @param definition the report asked for; its {@code agencies} are the scope every query applies
 *     (empty: every agency)
 * @param from the period's start, inclusive
 * @param to the period's end, exclusive
 * @param inventory the assets expected to send logs or flows; empty when no inventory is known
 * @param ruleReleases every release of every ruleset, oldest first; version 0 of ruleset {@code
 *     vigil} is the shipped pack, which is active until a release replaces it
 * @param audit the dashboard's audit trail
 * @param framework the framework of the control mapping
 */
public record ReportContext(
    ElasticsearchClient client,
    ReportDefinition definition,
    Instant from,
    Instant to,
    List<InventoryAsset> inventory,
    List<RuleRelease> ruleReleases,
    AuditTrail audit,
    ComplianceFramework framework) {

  public ReportContext {
    inventory = List.copyOf(inventory);
    ruleReleases = List.copyOf(ruleReleases);
  }

  /** The agencies queries are limited to; empty for every agency. */
  public List<String> agencies() {
    return definition.agencies();
  }
}
