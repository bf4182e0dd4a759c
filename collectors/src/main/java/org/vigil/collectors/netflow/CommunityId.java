package org.vigil.collectors.netflow;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Community ID flow hashing, version 1 (https://github.com/corelight/community-id-spec): {@code
 * "1:" + base64(sha1(seed, saddr, daddr, proto, 0, sport, dport))} with the endpoints ordered so
 * both directions of a flow hash alike. For ICMP and ICMPv6 the ports are the message type and the
 * type of its counterpart (echo and echo reply, ...); a type without a counterpart is one-way and
 * keeps its order, with the code as destination port. Protocols without ports hash without them.
 *
 * <p>Holds a digest and a scratch buffer, so one instance per thread.
 */
public final class CommunityId {
  private static final int ICMP = 1;
  private static final int TCP = 6;
  private static final int UDP = 17;
  private static final int ICMP6 = 58;
  private static final int SCTP = 132;
  private static final Base64.Encoder BASE64 = Base64.getEncoder();

  private final int seed;
  private final MessageDigest sha1;
  private final byte[] scratch = new byte[40];
  private final byte[] digest = new byte[20];
  private final byte[] encoded = new byte[28];
  private final byte[] text = new byte[30];

  public CommunityId(int seed) {
    this.seed = seed & 0xFFFF;
    try {
      this.sha1 = MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-1", e);
    }
  }

  /** True when the protocol's Community ID includes ports (or ICMP type and code). */
  public static boolean usesPorts(int protocol) {
    return protocol == TCP
        || protocol == UDP
        || protocol == SCTP
        || protocol == ICMP
        || protocol == ICMP6;
  }

  /**
   * The Community ID of a flow. {@code sourcePort}/{@code destinationPort} are the ICMP type and
   * code for ICMP, and ignored for protocols without ports.
   */
  public String of(
      InetAddress source,
      InetAddress destination,
      int protocol,
      int sourcePort,
      int destinationPort) {
    byte[] s = source.getAddress();
    byte[] d = destination.getAddress();
    if (s.length != d.length) {
      throw new IllegalArgumentException("source and destination are of different IP versions");
    }
    ByteBuffer b = ByteBuffer.allocate(s.length * 2).put(s).put(d);
    return of(b, 0, s.length, s.length, protocol, sourcePort, destinationPort);
  }

  /** The Community ID of addresses of {@code length} (4 or 16) bytes read from {@code buf}. */
  String of(
      ByteBuffer buf,
      int sourceAt,
      int destinationAt,
      int length,
      int protocol,
      int sourcePort,
      int destinationPort) {
    int sp = sourcePort;
    int dp = destinationPort;
    boolean oneWay = false;
    if (protocol == ICMP || protocol == ICMP6) {
      int counterpart = protocol == ICMP ? icmp4Counterpart(sp) : icmp6Counterpart(sp);
      if (counterpart < 0) {
        oneWay = true;
      } else {
        dp = counterpart;
      }
    }
    boolean ports = usesPorts(protocol);
    int order = compare(buf, sourceAt, destinationAt, length);
    boolean swap = !oneWay && (order > 0 || (order == 0 && ports && sp > dp));
    int first = swap ? destinationAt : sourceAt;
    int second = swap ? sourceAt : destinationAt;
    byte[] x = scratch;
    int n = 0;
    x[n++] = (byte) (seed >>> 8);
    x[n++] = (byte) seed;
    for (int i = 0; i < length; i++) {
      x[n++] = buf.get(first + i);
    }
    for (int i = 0; i < length; i++) {
      x[n++] = buf.get(second + i);
    }
    x[n++] = (byte) protocol;
    x[n++] = 0;
    if (ports) {
      int p1 = swap ? dp : sp;
      int p2 = swap ? sp : dp;
      x[n++] = (byte) (p1 >>> 8);
      x[n++] = (byte) p1;
      x[n++] = (byte) (p2 >>> 8);
      x[n++] = (byte) p2;
    }
    sha1.update(x, 0, n);
    try {
      sha1.digest(digest, 0, digest.length);
    } catch (DigestException e) {
      throw new IllegalStateException("a SHA-1 digest is 20 bytes", e);
    }
    int encodedLength = BASE64.encode(digest, encoded);
    text[0] = '1';
    text[1] = ':';
    System.arraycopy(encoded, 0, text, 2, encodedLength);
    return new String(text, 0, 2 + encodedLength, StandardCharsets.ISO_8859_1);
  }

  private static int compare(ByteBuffer buf, int a, int b, int length) {
    for (int i = 0; i < length; i++) {
      int c = Integer.compare(buf.get(a + i) & 0xFF, buf.get(b + i) & 0xFF);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  private static int icmp4Counterpart(int type) {
    return switch (type) {
      case 8 -> 0; // echo -> echo reply
      case 0 -> 8;
      case 13 -> 14; // timestamp
      case 14 -> 13;
      case 15 -> 16; // information
      case 16 -> 15;
      case 10 -> 9; // router solicitation -> advertisement
      case 9 -> 10;
      case 17 -> 18; // address mask
      case 18 -> 17;
      default -> -1;
    };
  }

  private static int icmp6Counterpart(int type) {
    return switch (type) {
      case 128 -> 129; // echo
      case 129 -> 128;
      case 130 -> 131; // multicast listener query -> report
      case 131 -> 130;
      case 133 -> 134; // router solicitation -> advertisement
      case 134 -> 133;
      case 135 -> 136; // neighbor solicitation -> advertisement
      case 136 -> 135;
      case 139 -> 140; // node information query -> response
      case 140 -> 139;
      case 144 -> 145; // home agent address discovery
      case 145 -> 144;
      default -> -1;
    };
  }
}
