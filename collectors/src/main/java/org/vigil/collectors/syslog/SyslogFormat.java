package org.vigil.collectors.syslog;

/** The two syslog message formats in use on real networks. */
public enum SyslogFormat {
  /**
   * The structured format of RFC 5424 ({@code <PRI>VERSION TIMESTAMP HOST APP PROCID MSGID SD}).
   */
  RFC5424,
  /**
   * The BSD format described (not specified) by RFC 3164 ({@code <PRI>Mmm dd hh:mm:ss HOST TAG}).
   */
  RFC3164
}
