package org.vigil.dashboards.reports;

import java.util.List;

/**
 * One control of a compliance framework and how Vigil gives evidence for it.
 *
 * @param id as the framework writes it, e.g. {@code AC-7} or {@code A.8.16}
 * @param title the control's name
 * @param family the group it belongs to, e.g. {@code Access Control} or {@code Technological
 *     controls}
 * @param rules rule ids the mapping file names for the control, beyond the rules whose
 *     {@code @compliance} metadata names it
 * @param evidence the report sections whose figures are evidence for the control
 */
public record ComplianceControl(
    String id, String title, String family, List<String> rules, List<SectionKind> evidence) {

  public ComplianceControl {
    rules = List.copyOf(rules);
    evidence = List.copyOf(evidence);
  }
}
