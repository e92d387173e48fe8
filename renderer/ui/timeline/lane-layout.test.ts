import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AXIS_HEIGHT, classLaneSpecs, COLLAPSED_HEIGHT, groupLaneSpecs, LANE_HEIGHT, laneAt, layoutHeight, layoutLanes } from './lane-layout.js';

test('class lanes are named "<class> · <PRIORITY>" in WindView order, with the aux boundary at lane 8', () => {
  const rows = layoutLanes(classLaneSpecs([5, ...new Array<number>(15).fill(0)]), {});
  assert.equal(rows.length, 16);
  assert.deepEqual([rows[0]!.name, rows[4]!.name, rows[15]!.name], ['core · EMERGENCY', 'core · WARNING', 'aux · VERBOSE']);
  assert.deepEqual(rows.map((r) => r.boundary).indexOf(true), 8);
  assert.equal(rows[0]!.count, 5);
  assert.equal(layoutHeight(rows), AXIS_HEIGHT + 16 * LANE_HEIGHT);
});

test('collapsed lanes are thin and move the lanes below them up; laneAt finds a lane by y', () => {
  const rows = layoutLanes(classLaneSpecs(null), { 'lane:1': true });
  assert.equal(rows[1]!.height, COLLAPSED_HEIGHT);
  assert.equal(rows[2]!.top, AXIS_HEIGHT + LANE_HEIGHT + COLLAPSED_HEIGHT);
  assert.equal(laneAt(rows, AXIS_HEIGHT - 1), undefined);
  assert.equal(laneAt(rows, AXIS_HEIGHT + LANE_HEIGHT + 1)!.key, 'lane:1');
  assert.equal(laneAt(rows, rows[2]!.top)!.key, 'lane:2');
  assert.equal(layoutHeight(rows), AXIS_HEIGHT + 15 * LANE_HEIGHT + COLLAPSED_HEIGHT);
});

test('group lanes are keyed by grouping and group, named by the group label', () => {
  const rows = layoutLanes(groupLaneSpecs('process', [{ key: '7:0', label: '7 curl', count: 3 }]), { 'process:7:0': true });
  assert.deepEqual({ ...rows[0] }, { key: 'process:7:0', name: '7 curl', count: 3, group: '7:0', collapsed: true, top: AXIS_HEIGHT, height: COLLAPSED_HEIGHT, boundary: false });
});
