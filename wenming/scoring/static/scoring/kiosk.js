// The wall clock: the page itself reloads every few minutes (meta refresh),
// the clock ticks in between, in Beijing time whatever the screen's zone.
(function () {
  var clock = document.getElementById("kiosk-clock");
  if (!clock) { return; }
  var format = new Intl.DateTimeFormat("zh-CN", {timeZone: "Asia/Shanghai", month: "long",
    day: "numeric", weekday: "short", hour: "2-digit", minute: "2-digit", second: "2-digit",
    hour12: false});
  function tick() { clock.textContent = format.format(new Date()); }
  tick();
  setInterval(tick, 1000);
})();
