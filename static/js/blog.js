/* Article comments: "Reply" fills the hidden parent field and moves focus to the form. */
(function () {
  "use strict";
  var form = document.getElementById("comment-form");
  if (!form) { return; }
  var parentInput = document.getElementById("comment-parent");
  var notice = form.querySelector(".comment-replying-to");

  function setParent(id, name) {
    parentInput.value = id || "";
    if (id) {
      notice.querySelector("span").textContent = name;
      notice.hidden = false;
    } else {
      notice.hidden = true;
    }
  }

  document.addEventListener("click", function (event) {
    var reply = event.target.closest(".comment-reply");
    if (reply) {
      setParent(reply.getAttribute("data-comment-id"), reply.getAttribute("data-comment-name"));
      var first = form.querySelector("input[type=text], textarea");
      form.scrollIntoView({ behavior: "smooth" });
      if (first) { first.focus({ preventScroll: true }); }
    }
    if (event.target.closest(".comment-reply-cancel")) { setParent("", ""); }
  });
})();
