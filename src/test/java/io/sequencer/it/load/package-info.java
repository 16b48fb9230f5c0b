/**
 * The long integration tests: those that load the machine (a broadcast to thousands of subscribers, thousands of
 * parked timers and the pump's backlog, a step beyond the horizon, a thousand fuzzed requests against a private
 * emulator, the demo run twice) and {@code ShardsIT}, which mostly waits, a minute of it for a grouped first step.
 * They keep their own package so that the build can start them before the short tests: failsafe takes classes in
 * reverse alphabetical order, and this package sorts first, so the short, mostly waiting tests fill the cores
 * around the long ones instead of the long ones finishing alone, and the shard test's wait overlaps the loads.
 */
package io.sequencer.it.load;
