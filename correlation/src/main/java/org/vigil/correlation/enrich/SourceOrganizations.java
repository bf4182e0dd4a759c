package org.vigil.correlation.enrich;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.vigil.model.Event;

/**
 * The agency ({@code organization.id}) each sender network belongs to. The dashboard shows an
 * analyst only the alerts of their own agencies, and an alert takes its agency from its events, so
 * every event must carry the agency of the network it came from. The network decides, not the
 * sender: a Beats shipper or a syslog relay could otherwise claim another agency's id. Events from
 * networks the file does not list keep whatever {@code organization.id} they came with.
 */
public final class SourceOrganizations implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Ids as they appear in URLs, index queries and user records: no spaces, no surprises. */
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

  private final NetworkTable<String> networks;

  public SourceOrganizations(NetworkTable<String> networks) {
    this.networks = Objects.requireNonNull(networks, "networks");
  }

  public static SourceOrganizations none() {
    return new SourceOrganizations(NetworkTable.empty());
  }

  /**
   * Reads {@code CIDR ORGANIZATION_ID} lines (e.g. {@code 10.20.0.0/16 health-dept}); {@code #}
   * starts a comment.
   *
   * @throws IllegalArgumentException naming the line and what is wrong with it
   */
  public static SourceOrganizations parse(List<String> lines) {
    return new SourceOrganizations(
        NetworkTable.parse(lines, "ORGANIZATION_ID", SourceOrganizations::id));
  }

  /**
   * Reads a file in the {@link #parse} format.
   *
   * @throws java.io.UncheckedIOException if the file cannot be read, naming it
   * @throws IllegalArgumentException naming the file and line if its content is wrong
   */
  public static SourceOrganizations load(Path file) {
    return new SourceOrganizations(
        NetworkTable.load(
            file, "source organizations file", "ORGANIZATION_ID", SourceOrganizations::id));
  }

  /** The agency of the most specific network containing {@code address}, or null. */
  public String organizationFor(String address) {
    return networks.lookup(address);
  }

  /** Sets {@code organization.id} of an event from {@code senderAddress}'s network, if listed. */
  public void assign(Event event, String senderAddress) {
    String id = networks.lookup(senderAddress);
    if (id != null) {
      event.put("organization.id", id);
    }
  }

  public List<NetworkTable.Entry<String>> networks() {
    return networks.entries();
  }

  private static String id(String text) {
    if (!ID.matcher(text).matches()) {
      throw new IllegalArgumentException(
          "organization id '"
              + text
              + "' must be 1-64 letters, digits, '_', '.' or '-', starting with a letter or digit");
    }
    return text;
  }
}
