// 随手拍: fill the hidden lat/lng from the phone's location when the
// reporter asks for it. Browsers give WGS-84, which is what we store.
(function () {
  var button = document.getElementById("use-location");
  if (!button || !navigator.geolocation) { return; }
  button.hidden = false;
  button.addEventListener("click", function () {
    var status = document.getElementById("location-status");
    status.textContent = "正在获取位置…";
    navigator.geolocation.getCurrentPosition(function (pos) {
      document.getElementById("id_lat").value = pos.coords.latitude.toFixed(6);
      document.getElementById("id_lng").value = pos.coords.longitude.toFixed(6);
      status.textContent = "已获取位置（精度约" + Math.round(pos.coords.accuracy) + "米）";
      // The form asks for "附近已有类似问题" at this point (htmx listens).
      document.body.dispatchEvent(new Event("located"));
    }, function () {
      status.textContent = "未能获取位置，请填写地点。";
    }, {enableHighAccuracy: true, timeout: 15000});
  });
})();
