#!/usr/bin/python3
"""Writes a pcap of known conversations and, beside it, the unidirectional flows an exporter
reading it must report.

The conversations are TCP connections (handshake, data both ways, FIN both ways), UDP
request/response exchanges and ICMP echoes, over IPv4 and, with --ipv6, over IPv6 too. Every host
sits in the run's own prefixes, so the flows of one run can be told apart from any other's.

A flow is what NetFlow v5/v9 and IPFIX exporters count: one per direction of a conversation, keyed
by source and destination address and port and the IP protocol, with its packet count and its
bytes as the sum of the packets' IP total lengths (IPv6: payload length plus the 40-byte header),
and the times of its first and last packet in epoch seconds.
ICMP flows carry no ports: exporters put the type and code there, and Vigil leaves them out.

Runs with Debian's python3-scapy: /usr/bin/python3 flows-pcap.py --pcap F --expected F.json ...
"""

import argparse
import ipaddress
import json
import sys

from scapy.layers.inet import ICMP, IP, TCP, UDP
from scapy.layers.inet6 import ICMPv6EchoReply, ICMPv6EchoRequest, IPv6
from scapy.layers.l2 import Ether
from scapy.packet import Raw
from scapy.utils import PcapWriter

CLIENT_MAC = "02:00:00:00:00:01"
SERVER_MAC = "02:00:00:00:00:02"


class Capture:
    """Packets in time order, each also counted into the flow it belongs to."""

    def __init__(self, start, step):
        self.start = start
        self.step = step
        self.packets = []
        self.flows = {}

    def add(self, ip_packet, forward=True):
        ether = Ether(
            src=CLIENT_MAC if forward else SERVER_MAC, dst=SERVER_MAC if forward else CLIENT_MAC
        )
        frame = ether / ip_packet
        # Built once so lengths and checksums are final, as on the wire.
        frame = Ether(bytes(frame))
        # From the start each time, so rounding does not add up over the packets.
        frame.time = round(self.start + len(self.packets) * self.step, 6)
        self.packets.append(frame)
        self._count(frame)

    def _count(self, frame):
        if IP in frame:
            ip = frame[IP]
            src, dst, proto, length = ip.src, ip.dst, ip.proto, ip.len
            version = 4
        else:
            ip = frame[IPv6]
            src, dst, proto, length = ip.src, ip.dst, ip.nh, ip.plen + 40
            version = 6
        sport = dport = None
        if proto in (6, 17):
            sport, dport = ip.payload.sport, ip.payload.dport
        key = (str(ipaddress.ip_address(src)), str(ipaddress.ip_address(dst)), proto, sport, dport)
        flow = self.flows.setdefault(
            key,
            {
                "ipVersion": version,
                "sourceIp": key[0],
                "destinationIp": key[1],
                "protocol": proto,
                "sourcePort": sport,
                "destinationPort": dport,
                "packets": 0,
                "bytes": 0,
                "first": float(frame.time),
            },
        )
        flow["packets"] += 1
        flow["bytes"] += length
        flow["last"] = float(frame.time)


def tcp_connection(cap, ip, client, server, cport, sport, requests, responses):
    """A whole connection: handshake, each request answered by its responses, FIN from each side."""
    c_seq, s_seq = 1000, 5000

    def c2s(flags, payload=b""):
        nonlocal c_seq
        ack = s_seq if "A" in flags else 0
        seg = TCP(sport=cport, dport=sport, flags=flags, seq=c_seq, ack=ack, window=64240)
        cap.add(ip(src=client, dst=server) / seg / (Raw(payload) if payload else b""), True)
        c_seq += len(payload) + (1 if "S" in flags or "F" in flags else 0)

    def s2c(flags, payload=b""):
        nonlocal s_seq
        ack = c_seq if "A" in flags else 0
        seg = TCP(sport=sport, dport=cport, flags=flags, seq=s_seq, ack=ack, window=65160)
        cap.add(ip(src=server, dst=client) / seg / (Raw(payload) if payload else b""), False)
        s_seq += len(payload) + (1 if "S" in flags or "F" in flags else 0)

    c2s("S")
    s2c("SA")
    c2s("A")
    for request, sizes in zip(requests, responses):
        c2s("PA", b"q" * request)
        for size in sizes:
            s2c("PA", b"r" * size)
        c2s("A")
    c2s("FA")
    s2c("FA")
    c2s("A")


def udp_exchange(cap, ip, client, server, cport, sport, pairs):
    for request, response in pairs:
        cap.add(ip(src=client, dst=server) / UDP(sport=cport, dport=sport) / Raw(b"u" * request))
        cap.add(
            ip(src=server, dst=client) / UDP(sport=sport, dport=cport) / Raw(b"v" * response),
            False,
        )


def network(option, text, version):
    """The hosts use the network's addresses 10 to 19: it must have them."""
    try:
        net = ipaddress.ip_network(text)
    except ValueError as e:
        sys.exit(f"{option}: {e}")
    if net.version != version or net.num_addresses < 32:
        sys.exit(f"{option} must be an IPv{version} network of 32 addresses or more: {text}")
    return net


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pcap", required=True, help="pcap file to write")
    parser.add_argument("--expected", required=True, help="JSON file of the expected flows")
    parser.add_argument(
        "--start", type=float, required=True, help="time of the first packet, epoch seconds"
    )
    parser.add_argument("--ipv4-prefix", required=True, help="the run's IPv4 net, e.g. 10.61.3.0/24")
    parser.add_argument("--ipv6-prefix", help="the run's IPv6 net; IPv6 conversations only with it")
    parser.add_argument(
        "--step", type=float, default=0.01, help="seconds between packets (default 0.01)"
    )
    args = parser.parse_args()

    net4 = network("--ipv4-prefix", args.ipv4_prefix, 4)
    a4 = [str(net4[i]) for i in range(10, 16)]

    cap = Capture(args.start, args.step)
    tcp_connection(cap, IP, a4[0], a4[1], 40001, 80, [120, 300], [[1400, 1400, 200], [640]])
    tcp_connection(cap, IP, a4[2], a4[1], 40002, 443, [517], [[1200, 900]])
    udp_exchange(cap, IP, a4[0], a4[3], 50053, 53, [(40, 120), (44, 180)])
    udp_exchange(cap, IP, a4[2], a4[4], 50123, 123, [(48, 48), (48, 48), (48, 48)])
    for seq in range(1, 4):
        cap.add(IP(src=a4[0], dst=a4[5]) / ICMP(type=8, id=77, seq=seq) / Raw(b"p" * 56))
        cap.add(IP(src=a4[5], dst=a4[0]) / ICMP(type=0, id=77, seq=seq) / Raw(b"p" * 56), False)

    if args.ipv6_prefix:
        net6 = network("--ipv6-prefix", args.ipv6_prefix, 6)
        a6 = [str(net6[i]) for i in range(0x10, 0x14)]
        tcp_connection(cap, IPv6, a6[0], a6[1], 40006, 22, [64, 96], [[512], [1024, 256]])
        udp_exchange(cap, IPv6, a6[2], a6[1], 50054, 53, [(60, 200)])
        for seq in range(1, 3):
            cap.add(IPv6(src=a6[0], dst=a6[3]) / ICMPv6EchoRequest(id=78, seq=seq, data=b"p" * 56))
            cap.add(
                IPv6(src=a6[3], dst=a6[0]) / ICMPv6EchoReply(id=78, seq=seq, data=b"p" * 56), False
            )

    writer = PcapWriter(args.pcap, linktype=1, sync=True)
    writer.write(cap.packets)
    writer.close()
    with open(args.expected, "w") as out:
        json.dump(
            {
                "start": args.start,
                "end": float(cap.packets[-1].time),
                "packets": len(cap.packets),
                "flows": list(cap.flows.values()),
            },
            out,
            indent=1,
        )


if __name__ == "__main__":
    main()
