package org.vigil.dashboards.reports;

import java.util.List;

/**
 * A compliance framework's controls as a mapping file lists them, e.g. NIST SP 800-53 rev. 5.
 *
 * @param id as reports name it, e.g. {@code nist-800-53} or {@code iso-27001}
 * @param title e.g. {@code NIST SP 800-53 Rev. 5}
 * @param controls in the order the framework lists them
 */
public record ComplianceFramework(String id, String title, List<ComplianceControl> controls) {

  public ComplianceFramework {
    controls = List.copyOf(controls);
  }
}
