package org.vigil.collectors.netflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The published Community ID v1 vectors (community-id-spec baseline, also used by Zeek's
 * community_id_v1 tests), each checked in both directions.
 */
class CommunityIdTest {

  @ParameterizedTest(name = "{0} {1}:{2} -> {3}:{4} seed {5}")
  @CsvSource({
    "6, 1.2.3.4, 1122, 5.6.7.8, 3344, 0, 1:wCb3OG7yAFWelaUydu0D+125CLM=",
    "17, 1.2.3.4, 1122, 5.6.7.8, 3344, 0, 1:0Mu9InQx6z4ZiCZM/7HXi2WMhOg=",
    "1, 1.2.3.4, 8, 5.6.7.8, 0, 0, 1:crodRHL2FEsHjbv3UkRrfbs4bZ0=",
    "58, fe80:1:203:405:607:809:a0b:c0d, 128, fe80:1011:1213:1415:1617:1819:1a1b:1c1d, 0, 0, 1:0bf7hyMJUwt3fMED7z8LIfRpBeo=",
    "46, 1.2.3.4, 0, 5.6.7.8, 0, 0, 1:ikv3kmf89luf73WPz1jOs49S768=",
    "6, 1.2.3.4, 1122, 5.6.7.8, 3344, 1, 1:HhA1B+6CoLbiKPEs5nhNYN4XWfk=",
    "17, 1.2.3.4, 1122, 5.6.7.8, 3344, 1, 1:OShq+iKDAMVouh/4bMxB9Sz4amw=",
    "1, 1.2.3.4, 8, 5.6.7.8, 0, 1, 1:9pr4ZGTICiuZoIh90RRYE2RyXpU=",
    "58, fe80:1:203:405:607:809:a0b:c0d, 128, fe80:1011:1213:1415:1617:1819:1a1b:1c1d, 0, 1, 1:IO27GQzPuCtNnwFvjWALMHu5tJE="
  })
  void matchesPublishedVectorsInBothDirections(
      int proto, String src, int sport, String dst, int dport, int seed, String expected)
      throws Exception {
    CommunityId id = new CommunityId(seed);
    InetAddress s = InetAddress.getByName(src);
    InetAddress d = InetAddress.getByName(dst);
    assertThat(id.of(s, d, proto, sport, dport)).isEqualTo(expected);
    int replyType =
        proto == 1 ? (sport == 8 ? 0 : sport) : proto == 58 ? (sport == 128 ? 129 : sport) : dport;
    int replyPort = proto == 1 || proto == 58 ? 0 : sport;
    assertThat(id.of(d, s, proto, replyType, replyPort)).isEqualTo(expected);
  }
}
