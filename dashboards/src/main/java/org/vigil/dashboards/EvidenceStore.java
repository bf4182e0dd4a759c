package org.vigil.dashboards;

import java.util.List;

/** Reads the events alerts cite. Calls may block (network). */
public interface EvidenceStore {

  /**
   * The events with these document ids that the scope permits, oldest first; missing ids skipped.
   */
  List<EvidenceEvent> events(List<String> ids, AgencyScope scope);
}
