/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * bench/fabric's baseline: the 256-host permutation of run.sh in ns-3
 * (Debian's 3.37), the simulator researchers reach for first, on the same
 * topology, rates, delays, packet size and host pairs, and counted the same
 * way: packet-hops are frames that switch ports finish transmitting, per
 * second of Simulator::Run().
 *
 * What ns-3 models here is plainer than rocefab's fabric, which only favours
 * ns-3: point-to-point links with unbounded FIFO device queues (no queue
 * discipline, no PFC, no ECN, no shared buffer), UDP senders paced at line
 * rate, and global routing with ns-3's per-packet random ECMP. Its frames
 * are UDP/IPv4 over PPP, 4096 bytes of payload as rocefab's RoCE frames.
 *
 *   ns3_fabric --pairs=FILE [--spines=8] [--leaves=16] [--hostsPerLeaf=16]
 *              [--hostRate=100Gbps] [--uplinkRate=200Gbps] [--delay=1us]
 *              [--payload=4096] [--bytes=4194304]
 *
 * FILE holds one "SRC DST" pair of host indices per line, hosts numbered
 * leaf by leaf from 0 (rocefab's h<leaf>_<i> is (leaf-1)*hostsPerLeaf+i-1).
 * Prints one line: packet_hops, loop_s, Mhops/s, and the packets delivered.
 */

#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <fstream>
#include <utility>
#include <vector>

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/traffic-control-module.h"

using namespace ns3;

static uint64_t g_switch_tx;

static void
count_switch_tx(Ptr<const Packet>)
{
	g_switch_tx++;
}

static NetDeviceContainer
connect(PointToPointHelper &p2p, Ptr<Node> a, Ptr<Node> b, Ipv4AddressHelper &addr,
	Ipv4InterfaceContainer *ifs)
{
	NetDeviceContainer d = p2p.Install(a, b);
	TrafficControlHelper tch;

	*ifs = addr.Assign(d);
	addr.NewNetwork();
	/*
	 * Assign() gave the devices ns-3's default queue discipline; without
	 * it frames go straight to the device's FIFO, as a switch port's queue.
	 */
	tch.Uninstall(d);
	return d;
}

int
main(int argc, char *argv[])
{
	uint32_t spines = 8, leaves = 16, hpl = 16, payload = 4096;
	uint64_t bytes = 4194304;
	std::string host_rate = "100Gbps", up_rate = "200Gbps", delay = "1us", pairs_file;
	CommandLine cmd(__FILE__);

	cmd.AddValue("spines", "spine switches", spines);
	cmd.AddValue("leaves", "leaf switches", leaves);
	cmd.AddValue("hostsPerLeaf", "hosts under each leaf", hpl);
	cmd.AddValue("hostRate", "host link rate", host_rate);
	cmd.AddValue("uplinkRate", "leaf-spine link rate", up_rate);
	cmd.AddValue("delay", "propagation delay of every link", delay);
	cmd.AddValue("payload", "UDP payload bytes per packet", payload);
	cmd.AddValue("bytes", "bytes each pair sends", bytes);
	cmd.AddValue("pairs", "file of SRC DST host index pairs", pairs_file);
	cmd.Parse(argc, argv);

	uint32_t nhosts = leaves * hpl;
	std::vector<std::pair<uint32_t, uint32_t>> pairs;
	std::ifstream in(pairs_file);
	uint32_t s, d;

	while (in >> s >> d) {
		if (s >= nhosts || d >= nhosts) {
			std::fprintf(stderr, "ns3_fabric: pair %u %u: only %u hosts\n", s, d, nhosts);
			return 1;
		}
		pairs.emplace_back(s, d);
	}
	if (pairs.empty()) {
		std::fprintf(stderr, "ns3_fabric: no pairs in '%s'\n", pairs_file.c_str());
		return 1;
	}

	Config::SetDefault("ns3::Ipv4GlobalRouting::RandomEcmpRouting", BooleanValue(true));
	/* Unbounded in effect: a lossless fabric's queues are bounded by PFC, not by drops. */
	Config::SetDefault("ns3::DropTailQueue<Packet>::MaxSize", StringValue("1000000p"));

	NodeContainer spine_nodes, leaf_nodes, host_nodes;
	spine_nodes.Create(spines);
	leaf_nodes.Create(leaves);
	host_nodes.Create(nhosts);
	InternetStackHelper stack;
	stack.Install(spine_nodes);
	stack.Install(leaf_nodes);
	stack.Install(host_nodes);

	PointToPointHelper host_link, up_link;
	host_link.SetDeviceAttribute("DataRate", StringValue(host_rate));
	host_link.SetDeviceAttribute("Mtu", UintegerValue(9000));
	host_link.SetChannelAttribute("Delay", StringValue(delay));
	up_link.SetDeviceAttribute("DataRate", StringValue(up_rate));
	up_link.SetDeviceAttribute("Mtu", UintegerValue(9000));
	up_link.SetChannelAttribute("Delay", StringValue(delay));

	Ipv4AddressHelper addr("10.0.0.0", "255.255.255.252");
	std::vector<Ipv4Address> host_ip(nhosts);
	NetDeviceContainer switch_devs;

	for (uint32_t l = 0; l < leaves; l++) {
		for (uint32_t h = 0; h < hpl; h++) {
			Ipv4InterfaceContainer ifs;
			NetDeviceContainer dv = connect(host_link, host_nodes.Get(l * hpl + h),
				leaf_nodes.Get(l), addr, &ifs);

			host_ip[l * hpl + h] = ifs.GetAddress(0);
			switch_devs.Add(dv.Get(1));
		}
		for (uint32_t sp = 0; sp < spines; sp++) {
			Ipv4InterfaceContainer ifs;
			NetDeviceContainer dv = connect(up_link, leaf_nodes.Get(l),
				spine_nodes.Get(sp), addr, &ifs);

			switch_devs.Add(dv.Get(0));
			switch_devs.Add(dv.Get(1));
		}
	}
	Ipv4GlobalRoutingHelper::PopulateRoutingTables();
	for (uint32_t i = 0; i < switch_devs.GetN(); i++)
		switch_devs.Get(i)->TraceConnectWithoutContext("PhyTxEnd",
			MakeCallback(&count_switch_tx));

	/* Each sender paced at its line rate: payload, UDP, IPv4 and PPP on the wire. */
	DataRate rate(host_rate);
	Time interval = rate.CalculateBytesTxTime(payload + 8 + 20 + 2);
	uint32_t packets = (uint32_t)((bytes + payload - 1) / payload);
	std::vector<Ptr<UdpServer>> sinks;

	for (size_t i = 0; i < pairs.size(); i++) {
		uint16_t port = (uint16_t)(1000 + i);
		UdpServerHelper server(port);
		ApplicationContainer sa = server.Install(host_nodes.Get(pairs[i].second));
		UdpClientHelper client(host_ip[pairs[i].second], port);

		sinks.push_back(DynamicCast<UdpServer>(sa.Get(0)));
		client.SetAttribute("MaxPackets", UintegerValue(packets));
		client.SetAttribute("Interval", TimeValue(interval));
		client.SetAttribute("PacketSize", UintegerValue(payload));
		client.Install(host_nodes.Get(pairs[i].first));
	}
	Simulator::Stop(Seconds(10));

	auto t0 = std::chrono::steady_clock::now();
	Simulator::Run();
	auto t1 = std::chrono::steady_clock::now();
	double loop = std::chrono::duration<double>(t1 - t0).count();
	uint64_t delivered = 0;

	for (auto &k : sinks)
		delivered += k->GetReceived();
	Simulator::Destroy();
	std::printf("ns3 packet_hops %" PRIu64 " loop_s %.3f Mhops_per_s %.3f delivered %" PRIu64
		" sent %" PRIu64 "\n", g_switch_tx, loop, g_switch_tx / loop / 1e6, delivered,
		(uint64_t)packets * pairs.size());
	return 0;
}
