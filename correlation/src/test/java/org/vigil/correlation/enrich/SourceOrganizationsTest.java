package org.vigil.correlation.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vigil.model.Event;

class SourceOrganizationsTest {
  private static final SourceOrganizations AGENCIES =
      SourceOrganizations.parse(
          List.of(
              "# agency networks",
              "10.20.0.0/16 health-dept",
              "10.20.5.0/24 health.lab   # the lab is its own agency",
              "2001:db8:40::/48 transport_1"));

  @Test
  void theMostSpecificNetworkDecides() {
    assertThat(AGENCIES.organizationFor("10.20.1.9")).isEqualTo("health-dept");
    assertThat(AGENCIES.organizationFor("10.20.5.9")).isEqualTo("health.lab");
    assertThat(AGENCIES.organizationFor("::ffff:10.20.5.9")).isEqualTo("health.lab");
    assertThat(AGENCIES.organizationFor("2001:db8:40::7")).isEqualTo("transport_1");
    assertThat(AGENCIES.organizationFor("192.0.2.1")).isNull();
    assertThat(AGENCIES.organizationFor("not an address")).isNull();
  }

  @Test
  void theNetworkOverridesWhatASenderClaimsAndUnlistedSendersKeepTheirs() {
    Event claimed = new Event("a", 0).put("organization.id", "transport_1");
    Event unlisted = new Event("b", 0).put("organization.id", "own");

    AGENCIES.assign(claimed, "10.20.1.9");
    AGENCIES.assign(unlisted, "192.0.2.1");

    assertThat(claimed.getOrganizationId()).isEqualTo("health-dept");
    assertThat(unlisted.getOrganizationId()).isEqualTo("own");
  }

  @Test
  void aBadIdOrNetworkIsReportedWithItsLine() {
    assertThatThrownBy(() -> SourceOrganizations.parse(List.of("", "10.0.0.0/8 health dept")))
        .hasMessageStartingWith("line 2:")
        .hasMessageContaining("expected 'CIDR ORGANIZATION_ID'");
    assertThatThrownBy(() -> SourceOrganizations.parse(List.of("10.0.0.0/8 he@lth")))
        .hasMessageStartingWith("line 1:")
        .hasMessageContaining("organization id 'he@lth'");
    assertThatThrownBy(() -> SourceOrganizations.parse(List.of("10.0.1.0/8 health")))
        .hasMessageContaining("host bits");
  }

  @Test
  void aMissingFileIsNamed() {
    Path missing = Path.of("/nonexistent/agencies.txt");

    assertThatThrownBy(() -> SourceOrganizations.load(missing))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("source organizations file " + missing);
  }
}
