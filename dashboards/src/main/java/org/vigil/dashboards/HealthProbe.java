package org.vigil.dashboards;

import java.time.Duration;

/**
 * Measures one component for {@code GET /api/v1/health/components}. Calls block (network) and run
 * on a worker thread; the API answers red for a probe that takes longer than its deadline, so an
 * implementation should time out its own I/O near {@link #TIMEOUT}.
 */
public interface HealthProbe {
  Duration TIMEOUT = Duration.ofSeconds(2);

  /** The component's name on the health page. */
  String name();

  /**
   * The component's health; an exception means the component could not be reached and is shown red
   * with {@link #unreachable}'s advice.
   */
  ComponentHealth probe() throws Exception;

  /** What to check when the probe failed or did not answer in time. */
  String unreachable();
}
