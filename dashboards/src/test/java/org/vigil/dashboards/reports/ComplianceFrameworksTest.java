package org.vigil.dashboards.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComplianceFrameworksTest {
  @TempDir Path folder;

  @Test
  void shippedFrameworksParseWithTheirControlsInOrder() {
    ComplianceFrameworks frameworks = ComplianceFrameworks.builtIn();

    assertThat(frameworks.all())
        .extracting(ComplianceFramework::id)
        .containsExactly("nist-800-53", "iso-27001");
    ComplianceFramework nist = frameworks.get("nist-800-53");
    assertThat(nist.title()).isEqualTo("NIST SP 800-53 Rev. 5");
    assertThat(nist.controls().get(0).id()).isEqualTo("AC-1");
    assertThat(control(nist, "AC-7"))
        .isEqualTo(
            new ComplianceControl(
                "AC-7",
                "Unsuccessful Logon Attempts",
                "Access Control",
                List.of(),
                List.of(SectionKind.ACCESS, SectionKind.DETECTION)));
    ComplianceFramework iso = frameworks.get("iso-27001");
    assertThat(iso.controls()).hasSize(93);
    assertThat(control(iso, "A.8.16").title()).isEqualTo("Monitoring activities");
    assertThat(control(iso, "A.8.16").family()).isEqualTo("Technological controls");
  }

  @Test
  void aliasesAndCaseNameTheShippedFrameworks() {
    ComplianceFrameworks frameworks = ComplianceFrameworks.builtIn();

    assertThat(frameworks.get("nist").id()).isEqualTo("nist-800-53");
    assertThat(frameworks.get("NIST-800-53-R5").id()).isEqualTo("nist-800-53");
    assertThat(frameworks.get("iso").id()).isEqualTo("iso-27001");
    assertThat(frameworks.get(" iso-27001-2022 ").id()).isEqualTo("iso-27001");
  }

  @Test
  void unknownFrameworkListsTheIdsThereAre() {
    ComplianceFrameworks frameworks = ComplianceFrameworks.builtIn();

    assertThatThrownBy(() -> frameworks.get("pci-dss"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'pci-dss'")
        .hasMessageContaining("nist-800-53, iso-27001");
  }

  @Test
  void extensionAddsAControlAndARuleAndEvidenceToAShippedControl() throws IOException {
    Files.writeString(
        folder.resolve("nist-site.yaml"),
        """
        id: nist-800-53
        controls:
          - id: AC-7
            rules: [site-vpn-lockout]
            evidence: [coverage, access]
          - id: PE-6
            title: Monitoring Physical Access
            family: Physical and Environmental Protection
            rules: [badge-reader-tailgating]
            evidence: [detection]
        """);

    ComplianceFramework nist = ComplianceFrameworks.load(folder).get("nist-800-53");

    assertThat(control(nist, "AC-7"))
        .isEqualTo(
            new ComplianceControl(
                "AC-7",
                "Unsuccessful Logon Attempts",
                "Access Control",
                List.of("site-vpn-lockout"),
                List.of(SectionKind.ACCESS, SectionKind.DETECTION, SectionKind.COVERAGE)));
    assertThat(nist.controls().get(nist.controls().size() - 1))
        .isEqualTo(
            new ComplianceControl(
                "PE-6",
                "Monitoring Physical Access",
                "Physical and Environmental Protection",
                List.of("badge-reader-tailgating"),
                List.of(SectionKind.DETECTION)));
    assertThat(nist.title()).isEqualTo("NIST SP 800-53 Rev. 5");
    assertThat(nist.controls())
        .hasSize(ComplianceFrameworks.builtIn().get("nist").controls().size() + 1);
  }

  @Test
  void extensionWithANewIdAddsAFramework() throws IOException {
    Files.writeString(
        folder.resolve("ens.yml"),
        """
        id: provincial-baseline
        title: Provincial security baseline 2026
        controls:
          - id: PSB-1
            title: Central log collection
            family: Monitoring
            evidence: [coverage]
        """);
    Files.writeString(folder.resolve("README.txt"), "not a framework");

    ComplianceFrameworks frameworks = ComplianceFrameworks.load(folder);

    assertThat(frameworks.all())
        .extracting(ComplianceFramework::id)
        .containsExactly("nist-800-53", "iso-27001", "provincial-baseline");
    assertThat(frameworks.get("provincial-baseline").controls())
        .containsExactly(
            new ComplianceControl(
                "PSB-1",
                "Central log collection",
                "Monitoring",
                List.of(),
                List.of(SectionKind.COVERAGE)));
  }

  @Test
  void misspeltKeyNamesTheFileAndTheKey() throws IOException {
    Path file = folder.resolve("typo.yaml");
    Files.writeString(file, "id: nist-800-53\ncontrols:\n  - id: AC-7\n    evidance: [access]\n");

    assertThatThrownBy(() -> ComplianceFrameworks.load(folder))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("control AC-7")
        .hasMessageContaining("unknown key 'evidance'");
  }

  @Test
  void newControlWithoutTitleNamesTheFileAndTheKey() throws IOException {
    Path file = folder.resolve("partial.yaml");
    Files.writeString(file, "id: iso-27001\ncontrols:\n  - id: A.9.1\n    family: Extra\n");

    assertThatThrownBy(() -> ComplianceFrameworks.load(folder))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("control A.9.1: 'title' is missing");
  }

  @Test
  void newFrameworkWithoutTitleIsRefused() throws IOException {
    Files.writeString(folder.resolve("bare.yaml"), "id: bare\ncontrols: []\n");

    assertThatThrownBy(() -> ComplianceFrameworks.load(folder))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bare.yaml")
        .hasMessageContaining("'title' is missing");
  }

  @Test
  void evidenceNamingNoSectionIsRefused() throws IOException {
    Files.writeString(
        folder.resolve("ev.yaml"),
        "id: nist-800-53\ncontrols:\n  - id: SI-4\n    evidence: [controls]\n");

    assertThatThrownBy(() -> ComplianceFrameworks.load(folder))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ev.yaml")
        .hasMessageContaining("control SI-4: 'evidence' names 'controls'");
  }

  @Test
  void brokenYamlNamesTheFileAndLine() throws IOException {
    Files.writeString(folder.resolve("broken.yaml"), "id: x\ncontrols:\n  - id: [unclosed\n");

    assertThatThrownBy(() -> ComplianceFrameworks.load(folder))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("broken.yaml is not valid YAML (line");
  }

  @Test
  void controlListedTwiceInOneFileIsRefused() throws IOException {
    Files.writeString(
        folder.resolve("twice.yaml"), "id: nist-800-53\ncontrols:\n  - id: SI-4\n  - id: SI-4\n");

    assertThatThrownBy(() -> ComplianceFrameworks.load(folder))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("twice.yaml: control SI-4: listed twice");
  }

  @Test
  void missingFolderIsAnError() {
    Path missing = folder.resolve("nope");

    assertThatThrownBy(() -> ComplianceFrameworks.load(missing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(missing.toString());
  }

  private static ComplianceControl control(ComplianceFramework framework, String id) {
    return framework.controls().stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
  }
}
