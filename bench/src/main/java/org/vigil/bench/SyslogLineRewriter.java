package org.vigil.bench;

import java.net.InetAddress;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a line of a log file into a syslog message that a collector accepts and that carries the
 * current time, so replayed events land in today's index and inside the correlation windows.
 *
 * <p>The rule, in order:
 *
 * <ol>
 *   <li>A line that starts with a priority ({@code <0>} to {@code <191>}) is already a syslog
 *       message and is sent exactly as it is.
 *   <li>Otherwise it gets priority {@code <38>} (facility auth, severity info) and:
 *       <ul>
 *         <li>a leading RFC 3164 timestamp ({@code Nov 25 06:12:01}) or RFC 3339 timestamp ({@code
 *             2024-11-25T06:12:01.5+01:00}) is replaced by the current time as an RFC 3164
 *             timestamp in this machine's zone; the host name after it is kept;
 *         <li>a line with no timestamp gets the current time and this machine's host name in front,
 *             as {@code logger} would send it.
 *       </ul>
 *   <li>Blank lines are skipped.
 * </ol>
 *
 * With {@code keepTime} the original timestamps are left in place (only the priority is added). RFC
 * 3164 times carry no zone: the receiver reads them in its own zone, which for the all-in-one setup
 * is this machine's.
 */
public final class SyslogLineRewriter {
  /** {@code <38>}: facility 4 (auth), severity 6 (info), as sshd logs. */
  public static final int DEFAULT_PRIORITY = 38;

  private static final Pattern PRIORITY = Pattern.compile("^<(\\d{1,3})>");
  private static final Pattern RFC3164_TIME =
      Pattern.compile(
          "^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ \\d]\\d \\d\\d:\\d\\d:\\d\\d ");
  private static final Pattern RFC3339_TIME =
      Pattern.compile(
          "^\\d{4}-\\d\\d-\\d\\d[T ]\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,9})?(Z|[+-]\\d\\d:?\\d\\d)? ");
  private static final DateTimeFormatter RFC3164 =
      DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ENGLISH);

  private final Clock clock;
  private final String hostname;
  private final boolean keepTime;

  /**
   * @param clock the source of "now", in the zone the timestamps are written in
   * @param hostname the host name put on lines that have no header
   * @param keepTime true to leave timestamps found in the lines as they are
   */
  public SyslogLineRewriter(Clock clock, String hostname, boolean keepTime) {
    this.clock = Objects.requireNonNull(clock, "clock");
    if (hostname == null
        || hostname.isBlank()
        || hostname.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("a syslog host name is one word, got '" + hostname + "'");
    }
    this.hostname = hostname;
    this.keepTime = keepTime;
  }

  /** Stamps the current time in this machine's zone and this machine's short host name. */
  public static SyslogLineRewriter stampingNow(boolean keepTime) {
    return new SyslogLineRewriter(Clock.systemDefaultZone(), localHostname(), keepTime);
  }

  /** The syslog message for one line, or empty for a blank line. */
  public Optional<String> rewrite(String line) {
    String text = stripLineEnd(line);
    if (text.isBlank()) {
      return Optional.empty();
    }
    Matcher pri = PRIORITY.matcher(text);
    if (pri.find() && Integer.parseInt(pri.group(1)) <= 191) {
      return Optional.of(text);
    }
    String head = "<" + DEFAULT_PRIORITY + ">";
    if (keepTime) {
      if (RFC3164_TIME.matcher(text).find() || RFC3339_TIME.matcher(text).find()) {
        return Optional.of(head + text);
      }
      return Optional.of(head + now() + " " + hostname + " " + text);
    }
    Matcher time = RFC3164_TIME.matcher(text);
    if (!time.find()) {
      time = RFC3339_TIME.matcher(text);
      if (!time.find()) {
        return Optional.of(head + now() + " " + hostname + " " + text);
      }
    }
    return Optional.of(head + now() + " " + text.substring(time.end()));
  }

  private String now() {
    return RFC3164.format(ZonedDateTime.now(clock));
  }

  private static String stripLineEnd(String line) {
    int end = line.length();
    while (end > 0 && (line.charAt(end - 1) == '\n' || line.charAt(end - 1) == '\r')) {
      end--;
    }
    return line.substring(0, end);
  }

  private static String localHostname() {
    try {
      String name = InetAddress.getLocalHost().getHostName();
      int dot = name.indexOf('.');
      String shortName = dot > 0 ? name.substring(0, dot) : name;
      return shortName.isBlank() || shortName.chars().anyMatch(Character::isWhitespace)
          ? "localhost"
          : shortName;
    } catch (java.io.IOException e) {
      return "localhost";
    }
  }
}
