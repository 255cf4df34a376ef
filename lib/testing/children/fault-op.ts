// Run one fault operation; with FAULT_POINTS=1 FAULT_POINT=<name> the process kills itself at that point.
import { runFaultOp, type FaultOpName } from '../fault-ops';
import { childMain } from './_main';

childMain((p: { op: FaultOpName; params: unknown }) => runFaultOp(p.op, p.params));
