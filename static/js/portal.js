// The portal's own script. No inline scripts anywhere: the CSP forbids them.

// htmx (2.0, static/vendor/htmx) swaps only 2xx answers. A refused form (400, 422) comes back
// as the same fragment with what was typed and the errors next to the fields: swap it in like
// a success. Any other failure leaves the page as it is, so what was typed stays, and says in
// words what happened, just above the form (or element) that made the request.
var REQUEST_PROBLEMS = {
  403: "You no longer have access to this page.",
  404: "This item no longer exists or is no longer shared with you.",
  409: "Someone else changed this meanwhile. What you typed is still here; reload the page to see the change.",
};
var SERVER_PROBLEM = "The server could not save this. What you typed is still here; try again in a moment.";
var SERVER_PROBLEM_READING = "The server could not load this. Try again in a moment.";
var NETWORK_PROBLEM = "No connection: what you typed is still here.";
var NETWORK_PROBLEM_READING = "No connection. Try again in a moment.";
var UNREADABLE_ANSWER = "This could not be saved: the portal did not understand the request. Reload the page and try again.";

function isFormFragment(xhr) {
  // A whole page (Django's own error pages) would end up inside the panel: not a fragment.
  var type = xhr.getResponseHeader("Content-Type") || "";
  return type.indexOf("text/html") === 0 && xhr.responseText.trim() !== "" && !/<html[\s>]/i.test(xhr.responseText);
}

function isBackgroundRequest(elt) {
  // Polling (the notices badge) and hidden helpers (marking notices read) fail quietly:
  // they try again on their own, and nobody typed anything into them.
  var trigger = (elt && elt.getAttribute && elt.getAttribute("hx-trigger")) || "";
  return /\bevery\b/.test(trigger) || Boolean(elt.closest && elt.closest("[hidden]"));
}

function problemAnchor(elt) {
  return (elt.closest && elt.closest("form")) || elt;
}

function clearRequestProblem(elt) {
  var anchor = problemAnchor(elt);
  var box = anchor.previousElementSibling;
  if (box && box.hasAttribute("data-request-problem")) {
    box.remove();
  }
}

function showRequestProblem(elt, text) {
  if (!elt || isBackgroundRequest(elt)) {
    return;
  }
  var anchor = problemAnchor(elt);
  var box = anchor.previousElementSibling;
  if (!box || !box.hasAttribute("data-request-problem")) {
    box = document.createElement("div");
    box.className = "alert alert-danger";
    box.setAttribute("role", "alert");
    box.setAttribute("data-request-problem", "");
    anchor.parentNode.insertBefore(box, anchor);
  }
  box.textContent = text;
}

function isReading(detail) {
  var verb = (detail.requestConfig && detail.requestConfig.verb) || "get";
  return verb.toLowerCase() === "get";
}

document.addEventListener("htmx:beforeRequest", function (event) {
  clearRequestProblem(event.detail.elt);
});

document.addEventListener("htmx:beforeSwap", function (event) {
  var status = event.detail.xhr.status;
  if ((status === 400 || status === 422) && isFormFragment(event.detail.xhr)) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});

document.addEventListener("htmx:responseError", function (event) {
  var status = event.detail.xhr.status;
  var text = REQUEST_PROBLEMS[status];
  if (!text && status >= 500) {
    text = isReading(event.detail) ? SERVER_PROBLEM_READING : SERVER_PROBLEM;
  }
  showRequestProblem(event.detail.elt, text || UNREADABLE_ANSWER);
});

document.addEventListener("htmx:sendError", function (event) {
  showRequestProblem(event.detail.elt, isReading(event.detail) ? NETWORK_PROBLEM_READING : NETWORK_PROBLEM);
});

document.addEventListener("htmx:timeout", function (event) {
  showRequestProblem(event.detail.elt, isReading(event.detail) ? NETWORK_PROBLEM_READING : NETWORK_PROBLEM);
});

// A refused form starts with a summary of what to correct (templates/_components/error_summary.html):
// the focus goes there, on a whole page and on a swapped fragment, so a screen reader reads it first.
function focusErrorSummary(root) {
  var summary = root && root.querySelector && root.querySelector("[data-error-summary]");
  if (!summary && root && root.matches && root.matches("[data-error-summary]")) {
    summary = root;
  }
  if (summary) {
    summary.focus();
  }
}

document.addEventListener("DOMContentLoaded", function () {
  focusErrorSummary(document);
});

document.addEventListener("htmx:load", function (event) {
  if (event.detail.elt !== document.body) {
    focusErrorSummary(event.detail.elt);
  }
});

// A "tick all" box (data-check-all="group") ticks or unticks its group's boxes
// (data-check-all-member="group"); unticking one of them unticks the box, ticking the last ticks it.
document.addEventListener("change", function (event) {
  var box = event.target;
  var group = box.getAttribute && (box.getAttribute("data-check-all") || box.getAttribute("data-check-all-member"));
  if (!group || !box.form) {
    return;
  }
  var members = box.form.querySelectorAll('[data-check-all-member="' + group + '"]');
  var master = box.form.querySelector('[data-check-all="' + group + '"]');
  if (box === master) {
    members.forEach(function (member) {
      member.checked = master.checked;
    });
  } else if (master) {
    master.checked = Array.prototype.every.call(members, function (member) {
      return member.checked;
    });
  }
});

// A page that only forwards (a notice opened from its email: data-replace-history) gives its
// place in the history to the page it forwards to, so that Back does not land on it again.
document.addEventListener("htmx:beforeOnLoad", function (event) {
  var to = event.detail.xhr.getResponseHeader("HX-Redirect");
  if (to && event.detail.elt.closest("[data-replace-history]")) {
    event.preventDefault();
    window.location.replace(to);
  }
});
