// The hosted page's worker (a module worker): instantiate the wasm from ./pkg, then serve jobs.
import init, { Session, LineView, Explore, Planner, LineFind, TimeSlice } from './pkg/wsus_doctor_web.js';
import './serve-worker.js';

self.wsusDoctorServe(init(), Session, LineView, Explore, Planner, LineFind, TimeSlice);
