/*
 * Lianjie JS-SDK: the public `wx` API shape (jweixin 1.6.0) for pages opened in the Lianjie web view.
 * Plain ES5, no dependencies. Every call goes to the web view (the parent window) as
 *   postMessage({ __lianjie: 1, id, method, args }, '*')
 * and its reply { __lianjie: 1, id, ok, result | error: { errMsg } } is matched by id. Replies are
 * accepted only from the parent window and, when known, from the origin this script was served from.
 */
(function (window, document) {
  'use strict';
  if (window.wx && window.wx.__lianjie) return;

  var inView = window.parent && window.parent !== window;
  var script = document.currentScript;
  var platformOrigin = null;
  try {
    if (script && script.src) platformOrigin = new URL(script.src).origin;
  } catch (e) { platformOrigin = null; }

  // Ids are `<page token>:<n>`: the web view keeps each page's wx.config grant under its token.
  var pageToken = Math.random().toString(36).slice(2, 10) + Date.now().toString(36);
  var seq = 0;
  var pending = {};
  var readyFns = [];
  var errorFns = [];
  var configState = 'none'; // none | pending | ready | failed
  var configResult = null;

  function later(fn, arg) { setTimeout(function () { fn(arg); }, 0); }

  /** The serialisable part of an options object (callbacks stay here). */
  function plain(obj) {
    var out = {};
    if (!obj) return out;
    for (var k in obj) {
      if (Object.prototype.hasOwnProperty.call(obj, k) && typeof obj[k] !== 'function') out[k] = obj[k];
    }
    return out;
  }

  function send(method, args, done) {
    if (!inView) { later(function () { done(false, { errMsg: method + ':fail not in Lianjie' }); }); return; }
    seq += 1;
    var id = pageToken + ':' + seq;
    pending[id] = done;
    window.parent.postMessage({ __lianjie: 1, id: id, method: method, args: args || {} }, '*');
  }

  window.addEventListener('message', function (event) {
    if (event.source !== window.parent) return;
    if (platformOrigin && event.origin !== platformOrigin) return;
    var data = event.data;
    if (!data || data.__lianjie !== 1 || typeof data.id !== 'string' || !pending[data.id]) return;
    var done = pending[data.id];
    delete pending[data.id];
    done(data.ok === true, data.ok === true ? (data.result || {}) : (data.error || {}));
  });

  /** Calls a bridge method with WeChat's callback conventions (success/fail/cancel/complete). */
  function invoke(name, opts, args) {
    opts = opts || {};
    send(name, args === undefined ? plain(opts) : args, function (ok, res) {
      if (!res.errMsg) res.errMsg = name + (ok ? ':ok' : ':fail');
      if (ok) {
        if (opts.success) opts.success(res);
      } else if (/:cancel$/.test(res.errMsg)) {
        if (opts.cancel) opts.cancel(res);
      } else if (opts.fail) {
        opts.fail(res);
      }
      if (opts.complete) opts.complete(res);
    });
  }

  function reportTitle() {
    if (inView) send('title', { title: document.title || '' }, function () {});
  }

  var wx = {
    __lianjie: true,
    config: function (obj) {
      var args = plain(obj);
      args.url = location.href.split('#')[0];
      configState = 'pending';
      send('config', args, function (ok, res) {
        configState = ok ? 'ready' : 'failed';
        configResult = ok ? res : { errMsg: res.errMsg || 'config:fail' };
        var fns = ok ? readyFns : errorFns;
        readyFns = ok ? [] : readyFns;
        for (var i = 0; i < fns.length; i++) fns[i](ok ? undefined : configResult);
        if (!ok) errorFns = [];
      });
    },
    ready: function (fn) {
      if (configState === 'ready') later(fn);
      else readyFns.push(fn);
    },
    error: function (fn) {
      if (configState === 'failed') later(fn, configResult);
      else errorFns.push(fn);
    },
    checkJsApi: function (opts) { invoke('checkJsApi', opts); },
    scanQRCode: function (opts) { invoke('scanQRCode', opts); },
    getLocation: function (opts) { invoke('getLocation', opts); },
    chooseImage: function (opts) { invoke('chooseImage', opts); },
    updateAppMessageShareData: function (opts) { invoke('updateAppMessageShareData', opts); },
    closeWindow: function () { invoke('closeWindow', {}); },
    chooseWXPay: function (opts) { invoke('chooseWXPay', opts); }
  };

  /** The older bridge entry; getBrandWCPayRequest is a hook the Pay step completes. */
  var WeixinJSBridge = {
    invoke: function (name, args, cb) {
      send(name, plain(args), function (ok, res) {
        if (!cb) return;
        if (name === 'getBrandWCPayRequest' && !ok) {
          cb({ err_msg: 'get_brand_wcpay_request:fail', errMsg: 'not available' });
          return;
        }
        res.err_msg = res.errMsg || (name + (ok ? ':ok' : ':fail'));
        cb(res);
      });
    },
    on: function () {},
    call: function (name) { if (name === 'closeWindow') wx.closeWindow(); }
  };

  window.wx = wx;
  window.jWeixin = wx;
  window.WeixinJSBridge = WeixinJSBridge;

  setTimeout(function () {
    var ev = document.createEvent('Event');
    ev.initEvent('WeixinJSBridgeReady', false, false);
    document.dispatchEvent(ev);
  }, 0);

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', reportTitle);
  else reportTitle();
  window.addEventListener('load', reportTitle);
})(window, document);
