package org.vigil.dashboards;

/**
 * One component's health as the health page shows it.
 *
 * @param detail what was measured, e.g. {@code lag 1,204 records on 6 partitions}
 * @param check for yellow and red: one sentence saying what to check; null when green
 */
public record ComponentHealth(String name, HealthStatus status, String detail, String check) {

  public ComponentHealth {
    if (name == null || status == null) {
      throw new IllegalArgumentException("component health needs a name and a status");
    }
    if (status != HealthStatus.GREEN && (check == null || check.isBlank())) {
      throw new IllegalArgumentException(name + " is " + status + " but says nothing to check");
    }
    detail = detail == null ? "" : detail;
    check = status == HealthStatus.GREEN ? null : check;
  }

  public static ComponentHealth green(String name, String detail) {
    return new ComponentHealth(name, HealthStatus.GREEN, detail, null);
  }
}
