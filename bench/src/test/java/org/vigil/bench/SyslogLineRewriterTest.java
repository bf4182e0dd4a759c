package org.vigil.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SyslogLineRewriterTest {
  private final Clock clock = Clock.fixed(Instant.parse("2026-03-07T14:05:09Z"), ZoneOffset.UTC);
  private final SyslogLineRewriter rewriter = new SyslogLineRewriter(clock, "replayhost", false);

  @Test
  void replacesAnRfc3164TimestampWithNowAndKeepsTheHost() {
    assertThat(
            rewriter.rewrite(
                "Nov 25 06:12:01 web01 sshd[2211]: Failed password for root from 203.0.113.77 port"
                    + " 51422 ssh2"))
        .contains(
            "<38>Mar  7 14:05:09 web01 sshd[2211]: Failed password for root from 203.0.113.77"
                + " port 51422 ssh2");
  }

  @Test
  void replacesASpacePaddedDay() {
    assertThat(rewriter.rewrite("Nov  5 06:12:01 web01 cron[1]: x"))
        .contains("<38>Mar  7 14:05:09 web01 cron[1]: x");
  }

  @Test
  void replacesAnRfc3339Timestamp() {
    assertThat(
            rewriter.rewrite("2024-11-25T06:12:01.123456+01:00 db01 sudo: alice : COMMAND=/bin/ls"))
        .contains("<38>Mar  7 14:05:09 db01 sudo: alice : COMMAND=/bin/ls");
  }

  @Test
  void addsTimeAndHostToABareLine() {
    assertThat(rewriter.rewrite("sshd[1]: Accepted publickey for alice"))
        .contains("<38>Mar  7 14:05:09 replayhost sshd[1]: Accepted publickey for alice");
  }

  @Test
  void sendsALineWithAPriorityUnchanged() {
    String line = "<13>Nov 25 06:12:01 web01 app: hello";
    assertThat(rewriter.rewrite(line)).contains(line);
    String rfc5424 = "<165>1 2003-10-11T22:14:15.003Z host app - ID47 - msg";
    assertThat(rewriter.rewrite(rfc5424)).contains(rfc5424);
  }

  @Test
  void treatsAnOutOfRangePriorityAsText() {
    assertThat(rewriter.rewrite("<999> hi")).contains("<38>Mar  7 14:05:09 replayhost <999> hi");
  }

  @Test
  void keepsTimestampsWhenAsked() {
    SyslogLineRewriter keeping = new SyslogLineRewriter(clock, "replayhost", true);
    assertThat(keeping.rewrite("Nov 25 06:12:01 web01 sshd[2211]: x"))
        .contains("<38>Nov 25 06:12:01 web01 sshd[2211]: x");
    assertThat(keeping.rewrite("no header")).contains("<38>Mar  7 14:05:09 replayhost no header");
  }

  @Test
  void skipsBlankLinesAndStripsLineEnds() {
    assertThat(rewriter.rewrite("   ")).isEmpty();
    assertThat(rewriter.rewrite("")).isEmpty();
    assertThat(rewriter.rewrite("<13>x\r")).contains("<13>x");
  }

  @Test
  void rejectsAHostnameWithSpaces() {
    assertThatThrownBy(() -> new SyslogLineRewriter(clock, "two words", false))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
