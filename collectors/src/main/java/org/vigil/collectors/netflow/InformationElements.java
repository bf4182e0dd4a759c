package org.vigil.collectors.netflow;

import java.util.HashMap;
import java.util.Map;

/**
 * Names and types of the information elements the decoder knows: the IANA IPFIX registry
 * (enterprise 0, https://www.iana.org/assignments/ipfix), NetFlow v9 field types (RFC 3954 §8,
 * which share IANA's numbers below 128 and are given IANA's names) plus the vendor v9 types seen in
 * the field (Cisco ASA NSEL, Palo Alto, nProbe, Streamcore), RFC 5103 reverse elements (enterprise
 * 29305) and vendor enterprise elements. An element not listed is kept as hex under {@code
 * e<enterprise>.<id>} (or {@code v9.<id>}), so nothing is lost and nothing is guessed.
 *
 * <p>Table rows are "id name type"; types: u unsigned, s signed, f float, b boolean, 4 IPv4, 6
 * IPv6, m MAC, t string, o octets, ds/dm/du/dn dateTimeSeconds/Milliseconds/Microseconds/
 * Nanoseconds, app applicationId, acl ASA ACL id.
 */
final class InformationElements {

  /** Private enterprise number of RFC 5103 reverse elements. */
  static final long REVERSE_PEN = 29305;

  private static final Map<Long, Element> ELEMENTS = new HashMap<>();
  private static final Map<Integer, Element> V9_VENDOR = new HashMap<>();

  record Element(String name, FieldType type) {}

  private static final String IANA =
      """
      1 octetDeltaCount u;2 packetDeltaCount u;3 deltaFlowCount u;4 protocolIdentifier u
      5 ipClassOfService u;6 tcpControlBits u;7 sourceTransportPort u;8 sourceIPv4Address 4
      9 sourceIPv4PrefixLength u;10 ingressInterface u;11 destinationTransportPort u
      12 destinationIPv4Address 4;13 destinationIPv4PrefixLength u;14 egressInterface u
      15 ipNextHopIPv4Address 4;16 bgpSourceAsNumber u;17 bgpDestinationAsNumber u
      18 bgpNextHopIPv4Address 4;19 postMCastPacketDeltaCount u;20 postMCastOctetDeltaCount u
      21 flowEndSysUpTime u;22 flowStartSysUpTime u;23 postOctetDeltaCount u
      24 postPacketDeltaCount u;25 minimumIpTotalLength u;26 maximumIpTotalLength u
      27 sourceIPv6Address 6;28 destinationIPv6Address 6;29 sourceIPv6PrefixLength u
      30 destinationIPv6PrefixLength u;31 flowLabelIPv6 u;32 icmpTypeCodeIPv4 u;33 igmpType u
      34 samplingInterval u;35 samplingAlgorithm u;36 flowActiveTimeout u;37 flowIdleTimeout u
      38 engineType u;39 engineId u;40 exportedOctetTotalCount u;41 exportedMessageTotalCount u
      42 exportedFlowRecordTotalCount u;43 ipv4RouterSc 4;44 sourceIPv4Prefix 4
      45 destinationIPv4Prefix 4;46 mplsTopLabelType u;47 mplsTopLabelIPv4Address 4
      48 samplerId u;49 samplerMode u;50 samplerRandomInterval u;51 classId u;52 minimumTTL u
      53 maximumTTL u;54 fragmentIdentification u;55 postIpClassOfService u
      56 sourceMacAddress m;57 postDestinationMacAddress m;58 vlanId u;59 postVlanId u
      60 ipVersion u;61 flowDirection u;62 ipNextHopIPv6Address 6;63 bgpNextHopIPv6Address 6
      64 ipv6ExtensionHeaders u;70 mplsTopLabelStackSection o;71 mplsLabelStackSection2 o
      72 mplsLabelStackSection3 o;73 mplsLabelStackSection4 o;74 mplsLabelStackSection5 o
      75 mplsLabelStackSection6 o;76 mplsLabelStackSection7 o;77 mplsLabelStackSection8 o
      78 mplsLabelStackSection9 o;79 mplsLabelStackSection10 o;80 destinationMacAddress m
      81 postSourceMacAddress m;82 interfaceName t;83 interfaceDescription t;84 samplerName t
      85 octetTotalCount u;86 packetTotalCount u;87 flagsAndSamplerId u;88 fragmentOffset u
      89 forwardingStatus u;90 mplsVpnRouteDistinguisher o;91 mplsTopLabelPrefixLength u
      92 srcTrafficIndex u;93 dstTrafficIndex u;94 applicationDescription t;95 applicationId app
      96 applicationName t;98 postIpDiffServCodePoint u;99 multicastReplicationFactor u
      100 className t;101 classificationEngineId u;102 layer2packetSectionOffset u
      103 layer2packetSectionSize u;104 layer2packetSectionData o;128 bgpNextAdjacentAsNumber u
      129 bgpPrevAdjacentAsNumber u;130 exporterIPv4Address 4;131 exporterIPv6Address 6
      132 droppedOctetDeltaCount u;133 droppedPacketDeltaCount u;134 droppedOctetTotalCount u
      135 droppedPacketTotalCount u;136 flowEndReason u;137 commonPropertiesId u
      138 observationPointId u;139 icmpTypeCodeIPv6 u;140 mplsTopLabelIPv6Address 6
      141 lineCardId u;142 portId u;143 meteringProcessId u;144 exportingProcessId u
      145 templateId u;146 wlanChannelId u;147 wlanSSID t;148 flowId u;149 observationDomainId u
      150 flowStartSeconds ds;151 flowEndSeconds ds;152 flowStartMilliseconds dm
      153 flowEndMilliseconds dm;154 flowStartMicroseconds du;155 flowEndMicroseconds du
      156 flowStartNanoseconds dn;157 flowEndNanoseconds dn;158 flowStartDeltaMicroseconds u
      159 flowEndDeltaMicroseconds u;160 systemInitTimeMilliseconds dm
      161 flowDurationMilliseconds u;162 flowDurationMicroseconds u;163 observedFlowTotalCount u
      164 ignoredPacketTotalCount u;165 ignoredOctetTotalCount u;166 notSentFlowTotalCount u
      167 notSentPacketTotalCount u;168 notSentOctetTotalCount u;169 destinationIPv6Prefix 6
      170 sourceIPv6Prefix 6;171 postOctetTotalCount u;172 postPacketTotalCount u
      173 flowKeyIndicator u;174 postMCastPacketTotalCount u;175 postMCastOctetTotalCount u
      176 icmpTypeIPv4 u;177 icmpCodeIPv4 u;178 icmpTypeIPv6 u;179 icmpCodeIPv6 u
      180 udpSourcePort u;181 udpDestinationPort u;182 tcpSourcePort u;183 tcpDestinationPort u
      184 tcpSequenceNumber u;185 tcpAcknowledgementNumber u;186 tcpWindowSize u
      187 tcpUrgentPointer u;188 tcpHeaderLength u;189 ipHeaderLength u;190 totalLengthIPv4 u
      191 payloadLengthIPv6 u;192 ipTTL u;193 nextHeaderIPv6 u;194 mplsPayloadLength u
      195 ipDiffServCodePoint u;196 ipPrecedence u;197 fragmentFlags u
      198 octetDeltaSumOfSquares u;199 octetTotalSumOfSquares u;200 mplsTopLabelTTL u
      201 mplsLabelStackLength u;202 mplsLabelStackDepth u;203 mplsTopLabelExp u
      204 ipPayloadLength u;205 udpMessageLength u;206 isMulticast u;207 ipv4IHL u
      208 ipv4Options u;209 tcpOptions u;210 paddingOctets o;211 collectorIPv4Address 4
      212 collectorIPv6Address 6;213 exportInterface u;214 exportProtocolVersion u
      215 exportTransportProtocol u;216 collectorTransportPort u;217 exporterTransportPort u
      218 tcpSynTotalCount u;219 tcpFinTotalCount u;220 tcpRstTotalCount u
      221 tcpPshTotalCount u;222 tcpAckTotalCount u;223 tcpUrgTotalCount u;224 ipTotalLength u
      225 postNATSourceIPv4Address 4;226 postNATDestinationIPv4Address 4
      227 postNAPTSourceTransportPort u;228 postNAPTDestinationTransportPort u
      229 natOriginatingAddressRealm u;230 natEvent u;231 initiatorOctets u
      232 responderOctets u;233 firewallEvent u;234 ingressVRFID u;235 egressVRFID u
      236 VRFname t;237 postMplsTopLabelExp u;238 tcpWindowScale u;239 biflowDirection u
      240 ethernetHeaderLength u;241 ethernetPayloadLength u;242 ethernetTotalLength u
      243 dot1qVlanId u;244 dot1qPriority u;245 dot1qCustomerVlanId u
      246 dot1qCustomerPriority u;247 metroEvcId t;248 metroEvcType u;249 pseudoWireId u
      250 pseudoWireType u;251 pseudoWireControlWord u;252 ingressPhysicalInterface u
      253 egressPhysicalInterface u;254 postDot1qVlanId u;255 postDot1qCustomerVlanId u
      256 ethernetType u;257 postIpPrecedence u;258 collectionTimeMilliseconds dm
      259 exportSctpStreamId u;260 maxExportSeconds ds;261 maxFlowEndSeconds ds
      262 messageMD5Checksum o;263 messageScope u;264 minExportSeconds ds
      265 minFlowStartSeconds ds;266 opaqueOctets o;267 sessionScope u
      268 maxFlowEndMicroseconds du;269 maxFlowEndMilliseconds dm;270 maxFlowEndNanoseconds dn
      271 minFlowStartMicroseconds du;272 minFlowStartMilliseconds dm
      273 minFlowStartNanoseconds dn;274 collectorCertificate o;275 exporterCertificate o
      276 dataRecordsReliability b;277 observationPointType u;278 newConnectionDeltaCount u
      279 connectionSumDurationSeconds u;280 connectionTransactionId u
      281 postNATSourceIPv6Address 6;282 postNATDestinationIPv6Address 6;283 natPoolId u
      284 natPoolName t;285 anonymizationFlags u;286 anonymizationTechnique u
      287 informationElementIndex u;288 p2pTechnology t;289 tunnelTechnology t
      290 encryptedTechnology t;291 basicList o;292 subTemplateList o;293 subTemplateMultiList o
      294 bgpValidityState u;295 IPSecSPI u;296 greKey u;297 natType u;298 initiatorPackets u
      299 responderPackets u;300 observationDomainName t;301 selectionSequenceId u
      302 selectorId u;303 informationElementId u;304 selectorAlgorithm u
      305 samplingPacketInterval u;306 samplingPacketSpace u;307 samplingTimeInterval u
      308 samplingTimeSpace u;309 samplingSize u;310 samplingPopulation u
      311 samplingProbability f;312 dataLinkFrameSize u;313 ipHeaderPacketSection o
      314 ipPayloadPacketSection o;315 dataLinkFrameSection o;316 mplsLabelStackSection o
      317 mplsPayloadPacketSection o;318 selectorIdTotalPktsObserved u
      319 selectorIdTotalPktsSelected u;320 absoluteError f;321 relativeError f
      322 observationTimeSeconds ds;323 observationTimeMilliseconds dm
      324 observationTimeMicroseconds du;325 observationTimeNanoseconds dn
      326 digestHashValue u;327 hashIPPayloadOffset u;328 hashIPPayloadSize u
      329 hashOutputRangeMin u;330 hashOutputRangeMax u;331 hashSelectedRangeMin u
      332 hashSelectedRangeMax u;333 hashDigestOutput b;334 hashInitialiserValue u
      335 selectorName t;336 upperCILimit f;337 lowerCILimit f;338 confidenceLevel f
      339 informationElementDataType u;340 informationElementDescription t
      341 informationElementName t;342 informationElementRangeBegin u
      343 informationElementRangeEnd u;344 informationElementSemantics u
      345 informationElementUnits u;346 privateEnterpriseNumber u
      347 virtualStationInterfaceId o;348 virtualStationInterfaceName t
      349 virtualStationUUID o;350 virtualStationName t;351 layer2SegmentId u
      352 layer2OctetDeltaCount u;353 layer2OctetTotalCount u
      354 ingressUnicastPacketTotalCount u;355 ingressMulticastPacketTotalCount u
      356 ingressBroadcastPacketTotalCount u;357 egressUnicastPacketTotalCount u
      358 egressBroadcastPacketTotalCount u;359 monitoringIntervalStartMilliSeconds dm
      360 monitoringIntervalEndMilliSeconds dm;361 portRangeStart u;362 portRangeEnd u
      363 portRangeStepSize u;364 portRangeNumPorts u;365 staMacAddress m
      366 staIPv4Address 4;367 wtpMacAddress m;368 ingressInterfaceType u
      369 egressInterfaceType u;370 rtpSequenceNumber u;371 userName t
      372 applicationCategoryName t;373 applicationSubCategoryName t
      374 applicationGroupName t;375 originalFlowsPresent u;376 originalFlowsInitiated u
      377 originalFlowsCompleted u;378 distinctCountOfSourceIPAddress u
      379 distinctCountOfDestinationIPAddress u;380 distinctCountOfSourceIPv4Address u
      381 distinctCountOfDestinationIPv4Address u;382 distinctCountOfSourceIPv6Address u
      383 distinctCountOfDestinationIPv6Address u;384 valueDistributionMethod u
      385 rfc3550JitterMilliseconds u;386 rfc3550JitterMicroseconds u
      387 rfc3550JitterNanoseconds u;388 dot1qDEI b;389 dot1qCustomerDEI b
      390 flowSelectorAlgorithm u;391 flowSelectedOctetDeltaCount u
      392 flowSelectedPacketDeltaCount u;393 flowSelectedFlowDeltaCount u
      394 selectorIDTotalFlowsObserved u;395 selectorIDTotalFlowsSelected u
      396 samplingFlowInterval u;397 samplingFlowSpacing u;398 flowSamplingTimeInterval u
      399 flowSamplingTimeSpacing u;400 hashFlowDomain u;401 transportOctetDeltaCount u
      402 transportPacketDeltaCount u;403 originalExporterIPv4Address 4
      404 originalExporterIPv6Address 6;405 originalObservationDomainId u
      406 intermediateProcessId u;407 ignoredDataRecordTotalCount u;408 dataLinkFrameType u
      409 sectionOffset u;410 sectionExportedOctets u;411 dot1qServiceInstanceTag o
      412 dot1qServiceInstanceId u;413 dot1qServiceInstancePriority u
      414 dot1qCustomerSourceMacAddress m;415 dot1qCustomerDestinationMacAddress m
      417 postLayer2OctetDeltaCount u;418 postMCastLayer2OctetDeltaCount u
      420 postLayer2OctetTotalCount u;421 postMCastLayer2OctetTotalCount u
      422 minimumLayer2TotalLength u;423 maximumLayer2TotalLength u
      424 droppedLayer2OctetDeltaCount u;425 droppedLayer2OctetTotalCount u
      426 ignoredLayer2OctetTotalCount u;427 notSentLayer2OctetTotalCount u
      428 layer2OctetDeltaSumOfSquares u;429 layer2OctetTotalSumOfSquares u
      430 layer2FrameDeltaCount u;431 layer2FrameTotalCount u
      432 pseudoWireDestinationIPv4Address 4;433 ignoredLayer2FrameTotalCount u
      434 mibObjectValueInteger s;435 mibObjectValueOctetString o;436 mibObjectValueOID o
      437 mibObjectValueBits o;438 mibObjectValueIPAddress 4;439 mibObjectValueCounter u
      440 mibObjectValueGauge u;441 mibObjectValueTimeTicks u;442 mibObjectValueUnsigned u
      443 mibObjectValueTable o;444 mibObjectValueRow o;445 mibObjectIdentifier o
      446 mibSubIdentifier u;447 mibIndexIndicator u;448 mibCaptureTimeSemantics u
      449 mibContextEngineID o;450 mibContextName t;451 mibObjectName t
      452 mibObjectDescription t;453 mibObjectSyntax t;454 mibModuleName t;455 mobileIMSI t
      456 mobileMSISDN t;457 httpStatusCode u;458 sourceTransportPortsLimit u
      459 httpRequestMethod t;460 httpRequestHost t;461 httpRequestTarget t
      462 httpMessageVersion t;463 natInstanceID u;464 internalAddressRealm o
      465 externalAddressRealm o;466 natQuotaExceededEvent u;467 natThresholdEvent u
      468 httpUserAgent t;469 httpContentType t;470 httpReasonPhrase t
      """;

  /** NetFlow v9 field types outside IANA's range, by vendor. */
  private static final String V9_VENDOR_TYPES =
      """
      33000 ingressAclId acl;33001 egressAclId acl;33002 fwExtEvent u;40000 aaaUsername t
      40001 postNATSourceIPv4Address 4;40002 postNATDestinationIPv4Address 4
      40003 postNAPTSourceTransportPort u;40004 postNAPTDestinationTransportPort u
      40005 firewallEvent u
      56701 paloAltoAppId t;56702 paloAltoUserId t
      57590 nprobeL7Proto u;57591 nprobeL7ProtoName t
      8192 streamcoreWanRtt u;8193 streamcoreNetAppRespTime u;8194 streamcoreTotalAppRespTime u
      8195 streamcoreTcpRetransRate u;8196 streamcoreCallDirection u;8256 streamcoreHostname t
      8257 streamcoreUrl t;8258 streamcoreSslCn t;8259 streamcoreSslOrg t
      8384 streamcoreIdRule1 u;8385 streamcoreIdRule2 u;8386 streamcoreIdRule3 u
      8387 streamcoreIdRule4 u;8388 streamcoreIdRule5 u
      """;

  /** Enterprise elements by private enterprise number. */
  private static final String VENDOR =
      """
      9 12232 ciscoAppCategoryName t;9 12234 ciscoAppGroupName t;9 12235 ciscoAppHttpHost t
      9 12236 ciscoClientIPv4Address 4;9 12237 ciscoServerIPv4Address 4
      9 12240 ciscoClientL4Port u;9 12241 ciscoServerL4Port u;9 12242 ciscoConnectionId u
      637 91 natInsideSvcid u;637 92 natOutsideSvcid u;637 93 natSubString t
      3054 110 ixiaL7AppId u;3054 111 ixiaL7AppName t;3054 160 ixiaOsDeviceId u
      3054 161 ixiaOsDeviceName t;3054 162 ixiaBrowserId u;3054 163 ixiaBrowserName t
      3054 176 ixiaReverseOctetDeltaCount u;3054 177 ixiaReversePacketDeltaCount u
      3054 186 ixiaSrcAsName t;3054 187 ixiaDstAsName t
      5951 128 netscalerRoundTripTime u;5951 129 netscalerTransactionId u
      5951 130 netscalerHttpReqUrl t;5951 131 netscalerHttpReqCookie t
      5951 132 netscalerFlowFlags u;5951 133 netscalerConnectionId u
      5951 134 netscalerSyslogPriority u;5951 135 netscalerSyslogMessage t
      5951 136 netscalerSyslogTimestamp u;5951 140 netscalerHttpReqReferer t
      5951 141 netscalerHttpReqMethod t;5951 142 netscalerHttpReqHost t
      5951 143 netscalerHttpReqUserAgent t;5951 144 netscalerHttpRspStatus u
      5951 145 netscalerHttpRspLen u;5951 146 netscalerServerTTFB u
      5951 147 netscalerServerTTLB u;5951 150 netscalerAppNameIncarnationNumber u
      5951 151 netscalerAppNameAppId u;5951 152 netscalerAppName t
      5951 153 netscalerHttpReqRcvFB u;5951 156 netscalerHttpReqForwFB u
      5951 157 netscalerHttpResRcvFB u;5951 158 netscalerHttpResForwFB u
      5951 159 netscalerHttpReqRcvLB u;5951 160 netscalerHttpReqForwLB u
      5951 161 netscalerMainPageId u;5951 162 netscalerMainPageCoreId u
      5951 167 netscalerAppTemplateName t;5951 169 netscalerHttpResRcvLB u
      5951 170 netscalerHttpResForwLB u;5951 171 netscalerAppUnitNameAppId u
      5951 182 netscalerClientRTT u;5951 183 netscalerHttpContentType t
      5951 185 netscalerHttpReqAuthorization t;5951 186 netscalerHttpReqVia t
      5951 187 netscalerHttpResLocation t;5951 188 netscalerHttpResSetCookie t
      5951 189 netscalerHttpResSetCookie2 t;5951 190 netscalerHttpReqXForwardedFor t
      5951 192 netscalerConnectionChainID o;5951 193 netscalerConnectionChainHopCount u
      5951 205 netscalerAaaUsername t;5951 267 netscalerHttpDomainName t
      6871 14 initialTCPFlags u;6871 15 unionTCPFlags u;6871 21 reverseFlowDeltaMilliseconds u
      6871 33 silkAppLabel u;6871 35 payloadEntropy u;6871 36 osName t;6871 37 osVersion t
      6871 40 flowAttributes u;6871 100 expiredFragmentCount u
      6871 101 assembledFragmentCount u;6871 102 meanFlowRate u;6871 103 meanPacketRate u
      6871 104 flowTableFlushEventCount u;6871 105 flowTablePeakCount u
      6871 16398 reverseInitialTCPFlags u;6871 16399 reverseUnionTCPFlags u
      6871 16419 reversePayloadEntropy u;6871 16424 reverseFlowAttributes u
      10704 1 barracudaTimestamp ds;10704 2 barracudaLogOp u;10704 3 barracudaTrafficType u
      10704 4 barracudaFwRule t;10704 5 barracudaServiceName t;10704 6 barracudaReason u
      10704 7 barracudaReasonText t;10704 8 barracudaBindIPv4Address 4
      10704 9 barracudaBindTransportPort u;10704 10 barracudaConnIPv4Address 4
      10704 11 barracudaConnTransportPort u;10704 12 barracudaAuditCounter u
      15397 1 proceraService t;15397 2 proceraBaseService t;15397 3 proceraIncomingOctets u
      15397 4 proceraOutgoingOctets u;15397 5 proceraIncomingPackets u
      15397 6 proceraOutgoingPackets u;15397 11 proceraInternalRtt s
      15397 12 proceraExternalRtt s;15397 15 proceraFlowBehavior t
      15397 16 proceraContentCategories t;15397 18 proceraServerHostname t
      15397 22 proceraHttpUrl t;15397 28 proceraSubscriberIdentifier t
      15397 42 proceraLocalIPv4Host 4;15397 44 proceraRemoteIPv4Host 4
      15397 47 proceraTemplateName t
      41916 4321 viptelaVPNId u
      """;

  static {
    for (String row : rows(IANA)) {
      String[] p = row.split(" ");
      Element e = new Element(p[1], type(p[2]));
      ELEMENTS.put(key(0, Integer.parseInt(p[0])), e);
      ELEMENTS.put(
          key(REVERSE_PEN, Integer.parseInt(p[0])),
          new Element(
              "reverse" + Character.toUpperCase(p[1].charAt(0)) + p[1].substring(1), e.type));
    }
    for (String row : rows(V9_VENDOR_TYPES)) {
      String[] p = row.split(" ");
      V9_VENDOR.put(Integer.parseInt(p[0]), new Element(p[1], type(p[2])));
    }
    for (String row : rows(VENDOR)) {
      String[] p = row.split(" ");
      ELEMENTS.put(
          key(Long.parseLong(p[0]), Integer.parseInt(p[1])), new Element(p[2], type(p[3])));
    }
  }

  private InformationElements() {}

  /** An IPFIX element, or null when unknown. */
  static Element ipfix(long enterprise, int id) {
    return ELEMENTS.get(key(enterprise, id));
  }

  /** A NetFlow v9 field type, or null when unknown. */
  static Element v9(int type) {
    Element vendor = V9_VENDOR.get(type);
    return vendor != null ? vendor : ELEMENTS.get(key(0, type));
  }

  /** The spec of an IPFIX field, named or kept as hex under {@code e<pen>.<id>}. */
  static FieldSpec ipfixSpec(long enterprise, int id, int length) {
    Element e = ipfix(enterprise, id);
    if (e == null) {
      return new FieldSpec(
          enterprise, id, length, FieldType.OCTETS, "netflow.e" + enterprise + "." + id);
    }
    return new FieldSpec(enterprise, id, length, e.type, "netflow." + e.name);
  }

  /** The spec of a v9 field, named or kept as hex under {@code v9.<type>}. */
  static FieldSpec v9Spec(int type, int length) {
    Element e = v9(type);
    if (e == null) {
      return new FieldSpec(0, type, length, FieldType.OCTETS, "netflow.v9." + type);
    }
    // Vendor v9 types are not IANA element ids: enterprise -1 keeps them out of the IANA id space
    // so the ECS mapping never reads them as IANA elements.
    long enterprise = V9_VENDOR.containsKey(type) ? -1 : 0;
    return new FieldSpec(enterprise, type, length, e.type, "netflow." + e.name);
  }

  private static long key(long enterprise, int id) {
    return (enterprise << 16) | id;
  }

  private static String[] rows(String table) {
    return table.strip().replace('\n', ';').split(";");
  }

  private static FieldType type(String code) {
    return switch (code) {
      case "u" -> FieldType.UNSIGNED;
      case "s" -> FieldType.SIGNED;
      case "f" -> FieldType.FLOAT;
      case "b" -> FieldType.BOOLEAN;
      case "4" -> FieldType.IPV4;
      case "6" -> FieldType.IPV6;
      case "m" -> FieldType.MAC;
      case "t" -> FieldType.STRING;
      case "o" -> FieldType.OCTETS;
      case "ds" -> FieldType.DATETIME_SECONDS;
      case "dm" -> FieldType.DATETIME_MILLIS;
      case "du" -> FieldType.DATETIME_MICROS;
      case "dn" -> FieldType.DATETIME_NANOS;
      case "app" -> FieldType.APPLICATION_ID;
      case "acl" -> FieldType.ACL_ID;
      default -> throw new IllegalStateException("unknown element type code " + code);
    };
  }
}
