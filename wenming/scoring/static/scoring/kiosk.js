// The wall clock ticks every second in Beijing time whatever the screen's
// zone; the figures are swapped in by htmx every few minutes, clock and all,
// so the element is looked up on each tick.
(function () {
  var format = new Intl.DateTimeFormat("zh-CN", {timeZone: "Asia/Shanghai", month: "long",
    day: "numeric", weekday: "short", hour: "2-digit", minute: "2-digit", second: "2-digit",
    hour12: false});
  function tick() {
    var clock = document.getElementById("kiosk-clock");
    if (clock) { clock.textContent = format.format(new Date()); }
  }
  tick();
  setInterval(tick, 1000);
})();
