// Preloaded into the Agents Playground (node --require): every server it starts listens on
// 127.0.0.1 only. The playground calls server.listen(port) with no host, which binds every
// interface; this keeps it on loopback whatever its version does.
"use strict";
const net = require("net");

const LOOPBACK = "127.0.0.1";
const listen = net.Server.prototype.listen;

net.Server.prototype.listen = function listenOnLoopback(...args) {
  const [first] = args;
  if (first !== null && typeof first === "object") {
    if (first.path === undefined) {
      args[0] = { ...first, host: LOOPBACK };
    }
  } else if (typeof first === "number" || (typeof first === "string" && /^\d+$/.test(first))) {
    if (typeof args[1] === "string") {
      args[1] = LOOPBACK;
    } else {
      args.splice(1, 0, LOOPBACK);
    }
  } else if (typeof first === "function" || first === undefined) {
    args.unshift(0, LOOPBACK);
  }
  return listen.apply(this, args);
};
