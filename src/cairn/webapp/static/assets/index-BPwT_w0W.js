var fn,B,$i,Ge,jr,Ni,Pi,Dn,Qt,Ct,Ci,er,Hn,Wn,tn={},nn=[],Oo=/acit|ex(?:s|g|n|p|$)|rph|grid|ows|mnc|ntw|ine[ch]|zoo|^ord|itera/i,dn=Array.isArray;function Oe(e,t){for(var n in t)e[n]=t[n];return e}function tr(e){e&&e.parentNode&&e.parentNode.removeChild(e)}function Mo(e,t,n){var r,i,o,a={};for(o in t)o=="key"?r=t[o]:o=="ref"?i=t[o]:a[o]=t[o];if(arguments.length>2&&(a.children=arguments.length>3?fn.call(arguments,2):n),typeof e=="function"&&e.defaultProps!=null)for(o in e.defaultProps)a[o]===void 0&&(a[o]=e.defaultProps[o]);return Xt(e,a,r,i,null)}function Xt(e,t,n,r,i){var o={type:e,props:t,key:n,ref:r,__k:null,__:null,__b:0,__e:null,__c:null,constructor:void 0,__v:i??++$i,__i:-1,__u:0};return i==null&&B.vnode!=null&&B.vnode(o),o}function Pe(e){return e.children}function Zt(e,t){this.props=e,this.context=t}function wt(e,t){if(t==null)return e.__?wt(e.__,e.__i+1):null;for(var n;t<e.__k.length;t++)if((n=e.__k[t])!=null&&n.__e!=null)return n.__e;return typeof e.type=="function"?wt(e):null}function Uo(e){if(e.__P&&e.__d){var t=e.__v,n=t.__e,r=[],i=[],o=Oe({},t);o.__v=t.__v+1,B.vnode&&B.vnode(o),nr(e.__P,o,t,e.__n,e.__P.namespaceURI,32&t.__u?[n]:null,r,n??wt(t),!!(32&t.__u),i),o.__v=t.__v,o.__.__k[o.__i]=o,Ui(r,o,i),t.__e=t.__=null,o.__e!=n&&Di(o)}}function Di(e){if((e=e.__)!=null&&e.__c!=null)return e.__e=e.__c.base=null,e.__k.some(function(t){if(t!=null&&t.__e!=null)return e.__e=e.__c.base=t.__e}),Di(e)}function qr(e){(!e.__d&&(e.__d=!0)&&Ge.push(e)&&!rn.__r++||jr!=B.debounceRendering)&&((jr=B.debounceRendering)||Ni)(rn)}function rn(){try{for(var e,t=1;Ge.length;)Ge.length>t&&Ge.sort(Pi),e=Ge.shift(),t=Ge.length,Uo(e)}finally{Ge.length=rn.__r=0}}function Li(e,t,n,r,i,o,a,l,f,u,p){var m,d,_,b,N,R,A,y=r&&r.__k||nn,T=t.length;for(f=zo(n,t,y,f,T),m=0;m<T;m++)(_=n.__k[m])!=null&&(d=_.__i!=-1&&y[_.__i]||tn,_.__i=m,R=nr(e,_,d,i,o,a,l,f,u,p),b=_.__e,_.ref&&d.ref!=_.ref&&(d.ref&&rr(d.ref,null,_),p.push(_.ref,_.__c||b,_)),N==null&&b!=null&&(N=b),(A=!!(4&_.__u))||d.__k===_.__k?(f=Oi(_,f,e,A),A&&d.__e&&(d.__e=null)):typeof _.type=="function"&&R!==void 0?f=R:b&&(f=b.nextSibling),_.__u&=-7);return n.__e=N,f}function zo(e,t,n,r,i){var o,a,l,f,u,p=n.length,m=p,d=0;for(e.__k=new Array(i),o=0;o<i;o++)(a=t[o])!=null&&typeof a!="boolean"&&typeof a!="function"?(typeof a=="string"||typeof a=="number"||typeof a=="bigint"||a.constructor==String?a=e.__k[o]=Xt(null,a,null,null,null):dn(a)?a=e.__k[o]=Xt(Pe,{children:a},null,null,null):a.constructor===void 0&&a.__b>0?a=e.__k[o]=Xt(a.type,a.props,a.key,a.ref?a.ref:null,a.__v):e.__k[o]=a,f=o+d,a.__=e,a.__b=e.__b+1,l=null,(u=a.__i=Bo(a,n,f,m))!=-1&&(m--,(l=n[u])&&(l.__u|=2)),l==null||l.__v==null?(u==-1&&(i>p?d--:i<p&&d++),typeof a.type!="function"&&(a.__u|=4)):u!=f&&(u==f-1?d--:u==f+1?d++:(u>f?d--:d++,a.__u|=4))):e.__k[o]=null;if(m)for(o=0;o<p;o++)(l=n[o])!=null&&(2&l.__u)==0&&(l.__e==r&&(r=wt(l)),Bi(l,l));return r}function Oi(e,t,n,r){var i,o;if(typeof e.type=="function"){for(i=e.__k,o=0;i&&o<i.length;o++)i[o]&&(i[o].__=e,t=Oi(i[o],t,n,r));return t}e.__e!=t&&(r&&(t&&e.type&&!t.parentNode&&(t=wt(e)),n.insertBefore(e.__e,t||null)),t=e.__e);do t=t&&t.nextSibling;while(t!=null&&t.nodeType==8);return t}function Bo(e,t,n,r){var i,o,a,l=e.key,f=e.type,u=t[n],p=u!=null&&(2&u.__u)==0;if(u===null&&l==null||p&&l==u.key&&f==u.type)return n;if(r>(p?1:0)){for(i=n-1,o=n+1;i>=0||o<t.length;)if((u=t[a=i>=0?i--:o++])!=null&&(2&u.__u)==0&&l==u.key&&f==u.type)return a}return-1}function Hr(e,t,n){t[0]=="-"?e.setProperty(t,n??""):e[t]=n==null?"":typeof n!="number"||Oo.test(t)?n:n+"px"}function Kt(e,t,n,r,i){var o,a;e:if(t=="style")if(typeof n=="string")e.style.cssText=n;else{if(typeof r=="string"&&(e.style.cssText=r=""),r)for(t in r)n&&t in n||Hr(e.style,t,"");if(n)for(t in n)r&&n[t]==r[t]||Hr(e.style,t,n[t])}else if(t[0]=="o"&&t[1]=="n")o=t!=(t=t.replace(Ci,"$1")),a=t.toLowerCase(),t=a in e||t=="onFocusOut"||t=="onFocusIn"?a.slice(2):t.slice(2),e.l||(e.l={}),e.l[t+o]=n,n?r?n[Ct]=r[Ct]:(n[Ct]=er,e.addEventListener(t,o?Wn:Hn,o)):e.removeEventListener(t,o?Wn:Hn,o);else{if(i=="http://www.w3.org/2000/svg")t=t.replace(/xlink(H|:h)/,"h").replace(/sName$/,"s");else if(t!="width"&&t!="height"&&t!="href"&&t!="list"&&t!="form"&&t!="tabIndex"&&t!="download"&&t!="rowSpan"&&t!="colSpan"&&t!="role"&&t!="popover"&&t in e)try{e[t]=n??"";break e}catch{}typeof n=="function"||(n==null||n===!1&&t[4]!="-"?e.removeAttribute(t):e.setAttribute(t,t=="popover"&&n==1?"":n))}}function Wr(e){return function(t){if(this.l){var n=this.l[t.type+e];if(t[Qt]==null)t[Qt]=er++;else if(t[Qt]<n[Ct])return;return n(B.event?B.event(t):t)}}}function nr(e,t,n,r,i,o,a,l,f,u){var p,m,d,_,b,N,R,A,y,T,L,I,v,le,oe,ke,X=t.type;if(t.constructor!==void 0)return null;128&n.__u&&(f=!!(32&n.__u),o=[l=t.__e=n.__e]),(p=B.__b)&&p(t);e:if(typeof X=="function"){m=a.length;try{if(y=t.props,T=X.prototype&&X.prototype.render,L=(p=X.contextType)&&r[p.__c],I=p?L?L.props.value:p.__:r,n.__c?A=(d=t.__c=n.__c).__=d.__E:(T?t.__c=d=new X(y,I):(t.__c=d=new Zt(y,I),d.constructor=X,d.render=jo),L&&L.sub(d),d.state||(d.state={}),d.__n=r,_=d.__d=!0,d.__h=[],d._sb=[]),T&&d.__s==null&&(d.__s=d.state),T&&X.getDerivedStateFromProps!=null&&(d.__s==d.state&&(d.__s=Oe({},d.__s)),Oe(d.__s,X.getDerivedStateFromProps(y,d.__s))),b=d.props,N=d.state,d.__v=t,_)T&&X.getDerivedStateFromProps==null&&d.componentWillMount!=null&&d.componentWillMount(),T&&d.componentDidMount!=null&&d.__h.push(d.componentDidMount);else{if(T&&X.getDerivedStateFromProps==null&&y!==b&&d.componentWillReceiveProps!=null&&d.componentWillReceiveProps(y,I),t.__v==n.__v||!d.__e&&d.shouldComponentUpdate!=null&&d.shouldComponentUpdate(y,d.__s,I)===!1){t.__v!=n.__v&&(d.props=y,d.state=d.__s,d.__d=!1),t.__e=n.__e,t.__k=n.__k,t.__k.some(function(ye){ye&&(ye.__=t)}),nn.push.apply(d.__h,d._sb),d._sb=[],d.__h.length&&a.push(d);break e}d.componentWillUpdate!=null&&d.componentWillUpdate(y,d.__s,I),T&&d.componentDidUpdate!=null&&d.__h.push(function(){d.componentDidUpdate(b,N,R)})}if(d.context=I,d.props=y,d.__P=e,d.__e=!1,v=B.__r,le=0,T)d.state=d.__s,d.__d=!1,v&&v(t),p=d.render(d.props,d.state,d.context),nn.push.apply(d.__h,d._sb),d._sb=[];else do d.__d=!1,v&&v(t),p=d.render(d.props,d.state,d.context),d.state=d.__s;while(d.__d&&++le<25);d.state=d.__s,d.getChildContext!=null&&(r=Oe(Oe({},r),d.getChildContext())),T&&!_&&d.getSnapshotBeforeUpdate!=null&&(R=d.getSnapshotBeforeUpdate(b,N)),oe=p!=null&&p.type===Pe&&p.key==null?zi(p.props.children):p,l=Li(e,dn(oe)?oe:[oe],t,n,r,i,o,a,l,f,u),d.base=t.__e,t.__u&=-161,d.__h.length&&a.push(d),A&&(d.__E=d.__=null)}catch(ye){if(a.length=m,t.__v=null,f||o!=null){if(ye.then){for(t.__u|=f?160:128;l&&l.nodeType==8&&l.nextSibling;)l=l.nextSibling;o!=null&&(o[o.indexOf(l)]=null),t.__e=l}else if(o!=null)for(ke=o.length;ke--;)tr(o[ke])}else t.__e=n.__e;t.__k==null&&(t.__k=n.__k||[]),ye.then||Mi(t),B.__e(ye,t,n)}}else o==null&&t.__v==n.__v?(t.__k=n.__k,t.__e=n.__e):l=t.__e=Fo(n.__e,t,n,r,i,o,a,f,u);return(p=B.diffed)&&p(t),128&t.__u?void 0:l}function Mi(e){e&&(e.__c&&(e.__c.__e=!0),e.__k&&e.__k.some(Mi))}function Ui(e,t,n){for(var r=0;r<n.length;r++)rr(n[r],n[++r],n[++r]);B.__c&&B.__c(t,e),e.some(function(i){try{e=i.__h,i.__h=[],e.some(function(o){o.call(i)})}catch(o){B.__e(o,i.__v)}})}function zi(e){return typeof e!="object"||e==null||e.__b>0?e:dn(e)?e.map(zi):e.constructor!==void 0?null:Oe({},e)}function Fo(e,t,n,r,i,o,a,l,f){var u,p,m,d,_,b,N,R=n.props||tn,A=t.props,y=t.type;if(y=="svg"?i="http://www.w3.org/2000/svg":y=="math"?i="http://www.w3.org/1998/Math/MathML":i||(i="http://www.w3.org/1999/xhtml"),o!=null){for(u=0;u<o.length;u++)if((_=o[u])&&"setAttribute"in _==!!y&&(y?_.localName==y:_.nodeType==3)){e=_,o[u]=null;break}}if(e==null){if(y==null)return document.createTextNode(A);e=document.createElementNS(i,y,A.is&&A),l&&(B.__m&&B.__m(t,o),l=!1),o=null}if(y==null)R===A||l&&e.data==A||(e.data=A);else{if(o=y=="textarea"&&A.defaultValue!=null?null:o&&fn.call(e.childNodes),!l&&o!=null)for(R={},u=0;u<e.attributes.length;u++)R[(_=e.attributes[u]).name]=_.value;for(u in R)_=R[u],u=="dangerouslySetInnerHTML"?m=_:u=="children"||u in A||u=="value"&&"defaultValue"in A||u=="checked"&&"defaultChecked"in A||Kt(e,u,null,_,i);for(u in A)_=A[u],u=="children"?d=_:u=="dangerouslySetInnerHTML"?p=_:u=="value"?b=_:u=="checked"?N=_:l&&typeof _!="function"||R[u]===_||Kt(e,u,_,R[u],i);if(p)l||m&&(p.__html==m.__html||p.__html==e.innerHTML)||(e.innerHTML=p.__html),t.__k=[];else if(m&&(e.innerHTML=""),Li(t.type=="template"?e.content:e,dn(d)?d:[d],t,n,r,y=="foreignObject"?"http://www.w3.org/1999/xhtml":i,o,a,o?o[0]:n.__k&&wt(n,0),l,f),o!=null)for(u=o.length;u--;)tr(o[u]);l&&y!="textarea"||(u="value",y=="progress"&&b==null?e.removeAttribute("value"):b!=null&&(b!==e[u]||y=="progress"&&!b||y=="option"&&b!=R[u])&&Kt(e,u,b,R[u],i),u="checked",N!=null&&N!=e[u]&&Kt(e,u,N,R[u],i))}return e}function rr(e,t,n){try{if(typeof e=="function"){var r=typeof e.__u=="function";r&&e.__u(),r&&t==null||(e.__u=e(t))}else e.current=t}catch(i){B.__e(i,n)}}function Bi(e,t,n){var r,i;if(B.unmount&&B.unmount(e),(r=e.ref)&&(r.current&&r.current!=e.__e||rr(r,null,t)),(r=e.__c)!=null){if(r.componentWillUnmount)try{r.componentWillUnmount()}catch(o){B.__e(o,t)}r.base=r.__P=r.__n=null}if(r=e.__k)for(i=0;i<r.length;i++)r[i]&&Bi(r[i],t,n||typeof e.type!="function");n||tr(e.__e),e.__c=e.__=e.__e=void 0}function jo(e,t,n){return this.constructor(e,n)}function qo(e,t,n){var r,i,o,a;t==document&&(t=document.documentElement),B.__&&B.__(e,t),i=(r=!1)?null:t.__k,o=[],a=[],nr(t,e=t.__k=Mo(Pe,null,[e]),i||tn,tn,t.namespaceURI,i?null:t.firstChild?fn.call(t.childNodes):null,o,i?i.__e:t.firstChild,r,a),Ui(o,e,a),e.props.children=null}fn=nn.slice,B={__e:function(e,t,n,r){for(var i,o,a;t=t.__;)if((i=t.__c)&&!i.__)try{if((o=i.constructor)&&o.getDerivedStateFromError!=null&&(i.setState(o.getDerivedStateFromError(e)),a=i.__d),i.componentDidCatch!=null&&(i.componentDidCatch(e,r||{}),a=i.__d),a)return i.__E=i}catch(l){e=l}throw e}},$i=0,Zt.prototype.setState=function(e,t){var n;n=this.__s!=null&&this.__s!=this.state?this.__s:this.__s=Oe({},this.state),typeof e=="function"&&(e=e(Oe({},n),this.props)),e&&Oe(n,e),e!=null&&this.__v&&(t&&this._sb.push(t),qr(this))},Zt.prototype.forceUpdate=function(e){this.__v&&(this.__e=!0,e&&this.__h.push(e),qr(this))},Zt.prototype.render=Pe,Ge=[],Ni=typeof Promise=="function"?Promise.prototype.then.bind(Promise.resolve()):setTimeout,Pi=function(e,t){return e.__v.__b-t.__v.__b},rn.__r=0,Dn=Math.random().toString(8),Qt="__d"+Dn,Ct="__a"+Dn,Ci=/(PointerCapture)$|Capture$/i,er=0,Hn=Wr(!1),Wn=Wr(!0);var Ho=0;function s(e,t,n,r,i,o){t||(t={});var a,l,f=t;if("ref"in f)for(l in f={},t)l=="ref"?a=t[l]:f[l]=t[l];var u={type:e,props:f,key:n,ref:a,__k:null,__:null,__b:0,__e:null,__c:null,constructor:void 0,__v:--Ho,__i:-1,__u:0,__source:i,__self:o};if(typeof e=="function"&&(a=e.defaultProps))for(l in a)f[l]===void 0&&(f[l]=a[l]);return B.vnode&&B.vnode(u),u}var Dt,K,Ln,Gr,on=0,Fi=[],J=B,Vr=J.__b,Kr=J.__r,Yr=J.diffed,Jr=J.__c,Qr=J.unmount,Xr=J.__;function ir(e,t){J.__h&&J.__h(K,e,on||t),on=0;var n=K.__H||(K.__H={__:[],__h:[]});return e>=n.__.length&&n.__.push({}),n.__[e]}function q(e){return on=1,Wo(qi,e)}function Wo(e,t,n){var r=ir(Dt++,2);if(r.t=e,!r.__c&&(r.__=[qi(void 0,t),function(l){var f=r.__N?r.__N[0]:r.__[0],u=r.t(f,l);f!==u&&(r.__N=[u,r.__[1]],r.__c.setState({}))}],r.__c=K,!K.__f)){var i=function(l,f,u){if(!r.__c.__H)return!0;var p=!1,m=r.__c.props!==l;if(r.__c.__H.__.some(function(_){if(_.__N){p=!0;var b=_.__[0];_.__=_.__N,_.__N=void 0,b!==_.__[0]&&(m=!0)}}),o){var d=o.call(this,l,f,u);return p?d||m:d}return!p||m};K.__f=!0;var o=K.shouldComponentUpdate,a=K.componentWillUpdate;K.componentWillUpdate=function(l,f,u){if(this.__e){var p=o;o=void 0,i(l,f,u),o=p}a&&a.call(this,l,f,u)},K.shouldComponentUpdate=i}return r.__N||r.__}function xt(e,t){var n=ir(Dt++,3);!J.__s&&ji(n.__H,t)&&(n.__=e,n.u=t,K.__H.__h.push(n))}function Go(e,t){var n=ir(Dt++,7);return ji(n.__H,t)&&(n.__=e(),n.__H=t,n.__h=e),n.__}function Vo(e,t){return on=8,Go(function(){return e},t)}function Ko(){for(var e;e=Fi.shift();){var t=e.__H;if(e.__P&&t)try{t.__h.some(en),t.__h.some(Gn),t.__h=[]}catch(n){t.__h=[],J.__e(n,e.__v)}}}J.__b=function(e){K=null,Vr&&Vr(e)},J.__=function(e,t){e&&t.__k&&t.__k.__m&&(e.__m=t.__k.__m),Xr&&Xr(e,t)},J.__r=function(e){Kr&&Kr(e),Dt=0;var t=(K=e.__c).__H;t&&(Ln===K?(t.__h=[],K.__h=[],t.__.some(function(n){n.__N&&(n.__=n.__N),n.u=n.__N=void 0})):(t.__h.some(en),t.__h.some(Gn),t.__h=[],Dt=0)),Ln=K},J.diffed=function(e){Yr&&Yr(e);var t=e.__c;t&&t.__H&&(t.__H.__h.length&&(Fi.push(t)!==1&&Gr===J.requestAnimationFrame||((Gr=J.requestAnimationFrame)||Yo)(Ko)),t.__H.__.some(function(n){n.u&&(n.__H=n.u,n.u=void 0)})),Ln=K=null},J.__c=function(e,t){t.some(function(n){try{n.__h.some(en),n.__h=n.__h.filter(function(r){return!r.__||Gn(r)})}catch(r){t.some(function(i){i.__h&&(i.__h=[])}),t=[],J.__e(r,n.__v)}}),Jr&&Jr(e,t)},J.unmount=function(e){Qr&&Qr(e);var t,n=e.__c;n&&n.__H&&(n.__H.__.some(function(r){try{en(r)}catch(i){t=i}}),n.__H=void 0,t&&J.__e(t,n.__v))};var Zr=typeof requestAnimationFrame=="function";function Yo(e){var t,n=function(){clearTimeout(r),Zr&&cancelAnimationFrame(t),setTimeout(e)},r=setTimeout(n,35);Zr&&(t=requestAnimationFrame(n))}function en(e){var t=K,n=e.__c;typeof n=="function"&&(e.__c=void 0,n()),K=t}function Gn(e){var t=K;e.__c=e.__(),K=t}function ji(e,t){return!e||e.length!==t.length||t.some(function(n,r){return n!==e[r]})}function qi(e,t){return typeof t=="function"?t(e):t}const pn="cairn.token";class _t extends Error{constructor(t,n){super(t),this.code=n}}let Hi=()=>{};function Jo(e){Hi=e}function Wi(){const e=window.location.hash;if(e.startsWith("#token=")){const t=decodeURIComponent(e.slice(7)).trim();t&&sessionStorage.setItem(pn,t),history.replaceState(history.state,"",window.location.pathname+window.location.search)}}function sn(){return sessionStorage.getItem(pn)}function Qo(e){sessionStorage.setItem(pn,e.trim())}function Vn(e=null){sessionStorage.removeItem(pn),Hi(e)}async function hn(e,t){const n=sn();if(!n)throw Vn(null),new _t("Sign in first.","UNAUTHENTICATED");let r;try{r=await fetch("/graphql",{method:"POST",headers:{"Content-Type":"application/json",Accept:"application/json",Authorization:`Bearer ${n}`},body:JSON.stringify({query:e.toString(),variables:t??{}})})}catch{throw new _t("Cairn cannot be reached: check your connection and retry.","NETWORK")}let i;try{i=await r.json()}catch{throw new _t(`Cairn answered HTTP ${r.status}.`,"INTERNAL_SERVER_ERROR")}const o=i.errors?.[0];if(o){const a=o.extensions?.code??"INTERNAL_SERVER_ERROR";throw a==="UNAUTHENTICATED"&&Vn("Your token has expired or is not valid. Paste a new one to sign in again."),new _t(o.message,a)}return i.data}function Ce(e,t){const n=JSON.stringify(t),[r,i]=q({data:null,error:null,loading:!0}),[o,a]=q(0);xt(()=>{let f=!0;return i(u=>({...u,loading:!0})),hn(e,t).then(u=>f&&i({data:u,error:null,loading:!1}),u=>f&&i({data:null,error:u instanceof _t?u:new _t(String(u),"INTERNAL"),loading:!1})),()=>{f=!1}},[n,o]);const l=Vo(()=>a(f=>f+1),[]);return{...r,reload:l}}function Ke(){const[e,t]=q([null]);return{after:e[e.length-1],page:e.length,next:n=>n&&t(r=>[...r,n]),prev:()=>t(n=>n.length>1?n.slice(0,-1):n),reset:()=>t([null])}}let Gi=class{diff(t,n,r={}){let i;typeof r=="function"?(i=r,r={}):"callback"in r&&(i=r.callback);const o=this.castInput(t,r),a=this.castInput(n,r),l=this.removeEmpty(this.tokenize(o,r)),f=this.removeEmpty(this.tokenize(a,r));return this.diffWithOptionsObj(l,f,r,i)}diffWithOptionsObj(t,n,r,i){var o;const a=y=>{if(y=this.postProcess(y,r),i){setTimeout(function(){i(y)},0);return}else return y},l=n.length,f=t.length;let u=1,p=l+f;r.maxEditLength!=null&&(p=Math.min(p,r.maxEditLength));const m=(o=r.timeout)!==null&&o!==void 0?o:1/0,d=Date.now()+m,_=[{oldPos:-1,lastComponent:void 0}];let b=this.extractCommon(_[0],n,t,0,r);if(_[0].oldPos+1>=f&&b+1>=l)return a(this.buildValues(_[0].lastComponent,n,t));let N=-1/0,R=1/0;const A=()=>{for(let y=Math.max(N,-u);y<=Math.min(R,u);y+=2){let T;const L=_[y-1],I=_[y+1];L&&(_[y-1]=void 0);let v=!1;if(I){const oe=I.oldPos-y;v=I&&0<=oe&&oe<l}const le=L&&L.oldPos+1<f;if(!v&&!le){_[y]=void 0;continue}if(!le||v&&L.oldPos<I.oldPos?T=this.addToPath(I,!0,!1,0,r):T=this.addToPath(L,!1,!0,1,r),b=this.extractCommon(T,n,t,y,r),T.oldPos+1>=f&&b+1>=l)return a(this.buildValues(T.lastComponent,n,t))||!0;_[y]=T,T.oldPos+1>=f&&(R=Math.min(R,y-1)),b+1>=l&&(N=Math.max(N,y+1))}u++};if(i)(function y(){setTimeout(function(){if(u>p||Date.now()>d)return i(void 0);A()||y()},0)})();else for(;u<=p&&Date.now()<=d;){const y=A();if(y)return y}}addToPath(t,n,r,i,o){const a=t.lastComponent;return a&&!o.oneChangePerToken&&a.added===n&&a.removed===r?{oldPos:t.oldPos+i,lastComponent:{count:a.count+1,added:n,removed:r,previousComponent:a.previousComponent}}:{oldPos:t.oldPos+i,lastComponent:{count:1,added:n,removed:r,previousComponent:a}}}extractCommon(t,n,r,i,o){const a=n.length,l=r.length;let f=t.oldPos,u=f-i,p=0;for(;u+1<a&&f+1<l&&this.equals(r[f+1],n[u+1],o);)u++,f++,p++,o.oneChangePerToken&&(t.lastComponent={count:1,previousComponent:t.lastComponent,added:!1,removed:!1});return p&&!o.oneChangePerToken&&(t.lastComponent={count:p,previousComponent:t.lastComponent,added:!1,removed:!1}),t.oldPos=f,u}equals(t,n,r){return r.comparator?r.comparator(t,n):t===n||!!r.ignoreCase&&t.toLowerCase()===n.toLowerCase()}removeEmpty(t){const n=[];for(let r=0;r<t.length;r++)t[r]&&n.push(t[r]);return n}castInput(t,n){return t}tokenize(t,n){return Array.from(t)}join(t){return t.join("")}postProcess(t,n){return t}get useLongestToken(){return!1}buildValues(t,n,r){const i=[];let o;for(;t;)i.push(t),o=t.previousComponent,delete t.previousComponent,t=o;i.reverse();const a=i.length;let l=0,f=0,u=0;for(;l<a;l++){const p=i[l];if(p.removed)p.value=this.join(r.slice(u,u+p.count)),u+=p.count;else{if(!p.added&&this.useLongestToken){let m=n.slice(f,f+p.count);m=m.map(function(d,_){const b=r[u+_];return b.length>d.length?b:d}),p.value=this.join(m)}else p.value=this.join(n.slice(f,f+p.count));f+=p.count,p.added||(u+=p.count)}}return i}};class Xo extends Gi{constructor(){super(...arguments),this.tokenize=ts}equals(t,n,r){return r.ignoreWhitespace?((!r.newlineIsToken||!t.includes(`
`))&&(t=t.trim()),(!r.newlineIsToken||!n.includes(`
`))&&(n=n.trim())):r.ignoreNewlineAtEof&&!r.newlineIsToken&&(t.endsWith(`
`)&&(t=t.slice(0,-1)),n.endsWith(`
`)&&(n=n.slice(0,-1))),super.equals(t,n,r)}}const Zo=new Xo;function es(e,t,n){return Zo.diff(e,t,n)}function ts(e,t){t.stripTrailingCr&&(e=e.replace(/\r\n/g,`
`));const n=[],r=e.split(/(\n|\r\n)/);r[r.length-1]||r.pop();for(let i=0;i<r.length;i++){const o=r[i];i%2&&!t.newlineIsToken?n[n.length-1]+=o:n.push(o)}return n}class ns extends Gi{tokenize(t){return t.slice()}join(t){return t}removeEmpty(t){return t}}const rs=new ns;function is(e,t,n){return rs.diff(e,t,n)}const Kn=new Set;function os(e){history.pushState(null,"",e),window.scrollTo(0,0),Kn.forEach(t=>t())}function Vi(){const[e,t]=q(window.location.pathname);return xt(()=>{const n=()=>t(window.location.pathname);return Kn.add(n),window.addEventListener("popstate",n),()=>{Kn.delete(n),window.removeEventListener("popstate",n)}},[]),e}function ss(e){if(e==="/"||e==="")return{page:"home"};const t=/^\/(workflows|runs|job-runs|artifacts|keys)\/([^/]+)\/?$/.exec(e);if(!t)return{page:"missing"};const n=decodeURIComponent(t[2]);switch(t[1]){case"workflows":return{page:"workflow",id:n};case"runs":return{page:"run",id:n};case"job-runs":return{page:"job",id:n};case"artifacts":return{page:"artifact",id:n};default:return{page:"key",key:n}}}function Y(e){const t=n=>{n.button!==0||n.metaKey||n.ctrlKey||n.shiftKey||n.altKey||(n.preventDefault(),os(e.href))};return s("a",{href:e.href,onClick:t,class:e.class,children:e.children})}const ie={workflow:e=>`/workflows/${encodeURIComponent(e)}`,run:e=>`/runs/${encodeURIComponent(e)}`,job:e=>`/job-runs/${encodeURIComponent(e)}`,artifact:e=>`/artifacts/${encodeURIComponent(e)}`,key:e=>`/keys/${encodeURIComponent(e)}`};function or(e){if(e<1024)return`${e} B`;const t=["KB","MB","GB","TB"];let n=e/1024,r=0;for(;n>=1024&&r<t.length-1;)n/=1024,r+=1;return`${n.toFixed(1)} ${t[r]}`}function Ne(e){if(!e)return"—";const t=new Date(e);return Number.isNaN(t.getTime())?e:t.toISOString().replace("T"," ").slice(0,19)+" UTC"}function sr(e,t){if(!e)return"—";const n=(t?new Date(t):new Date).getTime()-new Date(e).getTime();if(n<1e3)return`${n} ms`;const r=Math.round(n/1e3);return r<120?`${r} s`:`${Math.floor(r/60)} min ${r%60} s`}function nt(e){return s("span",{class:`status status-${e.value.toLowerCase()}`,children:e.value})}function De(e){return s("p",{class:"error",role:"alert",children:[e.error.message," ",s("span",{class:"code",children:["(",e.error.code,")"]})]})}function it(){return s("p",{class:"muted","aria-live":"polite",children:"Loading…"})}function Me(e){return e.page===1&&!e.hasNext?null:s("nav",{class:"pager","aria-label":`${e.label} pages`,children:[s("button",{type:"button",onClick:e.onPrev,disabled:e.page===1,children:"Previous page"}),s("span",{children:["Page ",e.page]}),s("button",{type:"button",onClick:e.onNext,disabled:!e.hasNext,children:"Next page"})]})}function bt(e){return e.artifacts.length===0?s("p",{class:"empty",children:e.empty}):s("table",{children:[s("caption",{children:e.caption}),s("thead",{children:s("tr",{children:[s("th",{scope:"col",children:"Name"}),s("th",{scope:"col",children:"Key"}),s("th",{scope:"col",children:"Type"}),s("th",{scope:"col",children:"Size"}),s("th",{scope:"col",children:"Version"}),e.showRun&&s("th",{scope:"col",children:"Run"}),s("th",{scope:"col",children:"Created"})]})}),s("tbody",{children:e.artifacts.map(t=>s("tr",{"data-artifact-id":t.id,children:[s("td",{children:[s(Y,{href:ie.artifact(t.id),children:t.displayName}),t.category&&s("span",{class:"tag",children:t.category})]}),s("td",{children:t.key?s(Y,{href:ie.key(t.key),children:t.key}):"—"}),s("td",{children:t.type}),s("td",{children:or(t.sizeBytes)}),s("td",{children:t.version??"—"}),e.showRun&&s("td",{children:t.workflowRun?s(Y,{href:ie.run(t.workflowRun.id),children:t.workflowRun.name??t.workflowRun.id.slice(0,8)}):"—"}),s("td",{children:Ne(t.createdAt)})]},t.id))})]})}function Lt(e){const{value:t,label:n}=e,r=n!==void 0?s("span",{class:"json-key",children:[n,": "]}):null;if(t===null||typeof t!="object")return s("div",{class:"json-leaf",children:[r,s("span",{class:`json-${t===null?"null":typeof t}`,children:JSON.stringify(t)})]});const i=Array.isArray(t)?t.map((a,l)=>[String(l),a]):Object.entries(t),o=Array.isArray(t)?["[","]"]:["{","}"];return s("details",{class:"json-node",open:e.open??!0,children:[s("summary",{children:[r,o[0]," ",i.length," ",i.length===1?"item":"items"," ",o[1]]}),i.map(([a,l])=>s(Lt,{value:l,label:a,open:!1},a))]})}function ei(e){const[n,r]=q(0),i=Math.max(1,Math.ceil(e.rows.length/50)),o=e.rows.slice(n*50,n*50+50);return s("div",{children:[s("div",{class:"scroll",tabIndex:0,role:"region","aria-label":e.caption,children:s("table",{children:[s("caption",{children:e.caption}),s("thead",{children:s("tr",{children:e.columns.map((a,l)=>s("th",{scope:"col",children:a},l))})}),s("tbody",{children:o.map((a,l)=>s("tr",{children:a.map((f,u)=>s("td",{children:mt(f)},u))},l))})]})}),s(Me,{label:"Table",page:n+1,hasNext:n+1<i,onNext:()=>r(n+1),onPrev:()=>r(Math.max(0,n-1))})]})}function mt(e){return e==null?"":typeof e=="object"?JSON.stringify(e):String(e)}function an(e){return Array.isArray(e)?e.map(an):e&&typeof e=="object"?Object.fromEntries(Object.keys(e).sort().map(t=>[t,an(e[t])])):e}function ti(e){const t={kind:"text",text:"",columns:[],rows:[]};if(e.type==="MARKDOWN")return{...t,text:typeof e.data=="string"?e.data:""};if(e.type==="TABLE"){const r=e.data??{};return{kind:"table",text:"",columns:(r.columns??[]).map(String),rows:r.rows??[]}}if(e.type==="CSV"&&e.preview?.columns&&e.preview.rows)return{kind:"table",text:"",columns:e.preview.columns,rows:e.preview.rows};if(e.type==="LINK")return{...t,text:JSON.stringify(an(e.data),null,2)};const n=e.preview?.text??"";if(e.type==="JSON")try{return{...t,text:JSON.stringify(an(JSON.parse(n)),null,2)+`
`}}catch{return{...t,text:n}}return{...t,text:n}}function as(e){const t=es(e.before,e.after);let n=0,r=0;for(const i of t)i.added&&(n+=i.count??0),i.removed&&(r+=i.count??0);return s("div",{children:[s("p",{class:"diff-summary",children:[n," line(s) added, ",r," line(s) removed"]}),s("pre",{class:"diff",tabIndex:0,"aria-label":"Line diff",children:t.map((i,o)=>{const a=i.added?"+":i.removed?"-":" ",l=i.added?"add":i.removed?"del":"same";return i.value.replace(/\n$/,"").split(`
`).map((u,p)=>s("span",{class:`line ${l}`,children:[a," ",u,`
`]},`${o}-${p}`))})})]})}function ls(e,t){const n=o=>JSON.stringify(o),r=is(e.map(n),t.map(n)),i=[];for(let o=0;o<r.length;o+=1){const a=r[o],l=a.value.map(u=>JSON.parse(u)),f=r[o+1];if(a.removed&&f?.added){const u=f.value.map(m=>JSON.parse(m)),p=Math.min(l.length,u.length);for(let m=0;m<p;m+=1)i.push({op:"change",before:l[m],row:u[m]});l.slice(p).forEach(m=>i.push({op:"del",row:m})),u.slice(p).forEach(m=>i.push({op:"add",row:m})),o+=1}else l.forEach(u=>i.push({op:a.added?"add":a.removed?"del":"same",row:u}))}return i}function cs(e){const t=[...e.after.columns];e.before.columns.forEach(a=>t.includes(a)||t.push(a));const n=a=>a.rows.map(l=>t.map(f=>l[a.columns.indexOf(f)]??null)),r=ls(n(e.before),n(e.after)),i={add:0,del:0,change:0};r.forEach(a=>a.op!=="same"&&(i[a.op]+=1));const o={same:"",add:"added",del:"removed",change:"changed"};return s("div",{children:[s("p",{class:"diff-summary",children:[i.add," row(s) added, ",i.del," removed, ",i.change," changed",t.length!==e.before.columns.length||t.length!==e.after.columns.length?"; columns differ":""]}),s("div",{class:"scroll",tabIndex:0,role:"region","aria-label":"Table diff",children:s("table",{class:"table-diff",children:[s("caption",{children:"Rows of the two versions"}),s("thead",{children:s("tr",{children:[s("th",{scope:"col",children:"Change"}),t.map(a=>s("th",{scope:"col",class:e.before.columns.includes(a)?e.after.columns.includes(a)?"":"del":"add",children:a},a))]})}),s("tbody",{children:r.map((a,l)=>s("tr",{class:`row-${a.op}`,children:[s("td",{children:o[a.op]}),a.row.map((f,u)=>a.op==="change"&&mt(a.before[u])!==mt(f)?s("td",{class:"cell-changed",children:[s("del",{children:mt(a.before[u])})," ",s("ins",{children:mt(f)})]},u):s("td",{children:mt(f)},u))]},l))})]})})]})}"stream"in Blob.prototype||Object.defineProperty(Blob.prototype,"stream",{value(){return new Response(this).body}}),"setBigUint64"in DataView.prototype||Object.defineProperty(DataView.prototype,"setBigUint64",{value(e,t,n){const r=Number(0xffffffffn&t),i=Number(t>>32n);this.setUint32(e+(n?0:4),r,n),this.setUint32(e+(n?4:0),i,n)}});var kt=e=>new DataView(new ArrayBuffer(e)),Ue=e=>new Uint8Array(e.buffer||e),yt=e=>new TextEncoder().encode(String(e)),tt=e=>Math.min(4294967295,Number(e)),ni=e=>Math.min(65535,Number(e));function us(e,t,n){t===void 0||t instanceof Date||(t=new Date(t));const r=e!==void 0;if(n||(n=r?436:509),e instanceof File)return{isFile:r,t:t||new Date(e.lastModified),bytes:e.stream(),mode:n};if(e instanceof Response)return{isFile:r,t:t||new Date(e.headers.get("Last-Modified")||Date.now()),bytes:e.body,mode:n};if(t===void 0)t=new Date;else if(isNaN(t))throw new Error("Invalid modification date.");if(!r)return{isFile:r,t,mode:n};if(typeof e=="string")return{isFile:r,t,bytes:yt(e),mode:n};if(e instanceof Blob)return{isFile:r,t,bytes:e.stream(),mode:n};if(e instanceof Uint8Array||e instanceof ReadableStream)return{isFile:r,t,bytes:e,mode:n};if(e instanceof ArrayBuffer||ArrayBuffer.isView(e))return{isFile:r,t,bytes:Ue(e),mode:n};if(Symbol.asyncIterator in e)return{isFile:r,t,bytes:Ki(e[Symbol.asyncIterator]()),mode:n};throw new TypeError("Unsupported input format.")}function Ki(e,t=e){return new ReadableStream({async pull(n){let r=0;for(;n.desiredSize>r;){const i=await e.next();if(!i.value){n.close();break}{const o=fs(i.value);n.enqueue(o),r+=o.byteLength}}},cancel(n){t.throw?.(n)}})}function fs(e){return typeof e=="string"?yt(e):e instanceof Uint8Array?e:Ue(e)}function Yi(e,t,n){let[r,i]=(function(o){return o?o instanceof Uint8Array?[o,1]:ArrayBuffer.isView(o)||o instanceof ArrayBuffer?[Ue(o),1]:[yt(o),0]:[void 0,0]})(t);if(e instanceof File)return{i:On(r||yt(e.name)),o:BigInt(e.size),u:i};if(e instanceof Response){const o=e.headers.get("content-disposition"),a=o&&o.match(/;\s*filename\*?\s*=\s*(?:UTF-\d+''|)["']?([^;"'\r\n]*)["']?(?:;|$)/i),l=a&&a[1]||e.url&&new URL(e.url).pathname.split("/").findLast(Boolean),f=l&&decodeURIComponent(l),u=n||+e.headers.get("content-length");return{i:On(r||yt(f)),o:BigInt(u),u:i}}return r=On(r,e!==void 0||n!==void 0),typeof e=="string"?{i:r,o:BigInt(yt(e).length),u:i}:e instanceof Blob?{i:r,o:BigInt(e.size),u:i}:e instanceof ArrayBuffer||ArrayBuffer.isView(e)?{i:r,o:BigInt(e.byteLength),u:i}:{i:r,o:ds(e,n),u:i}}function ds(e,t){return t>-1?BigInt(t):e?void 0:0n}function On(e,t=1){if(!e||e.every((n=>n===47)))throw new Error("The file must have a name.");if(t)for(;e[e.length-1]===47;)e=e.subarray(0,-1);else e[e.length-1]!==47&&(e=new Uint8Array([...e,47]));return e}var Ji=new Uint32Array(256);for(let e=0;e<256;++e){let t=e;for(let n=0;n<8;++n)t=t>>>1^(1&t&&3988292384);Ji[e]=t}function ri(e,t=0){t=~t;for(var n=0,r=e.length;n<r;n++)t=t>>>8^Ji[255&t^e[n]];return~t>>>0}function Qi(e,t,n=0){const r=e.getSeconds()>>1|e.getMinutes()<<5|e.getHours()<<11,i=e.getDate()|e.getMonth()+1<<5|e.getFullYear()-1980<<9;t.setUint16(n,r,1),t.setUint16(n+2,i,1)}function ps({i:e,u:t},n){return 8*(!t||(n??(function(r){try{hs.decode(r)}catch{return 0}return 1})(e)))}var hs=new TextDecoder("utf8",{fatal:1});function ms(e,t=0){const n=kt(30);return n.setUint32(0,1347093252),n.setUint32(4,754976768|t),Qi(e.t,n,10),n.setUint16(26,e.i.length,1),Ue(n)}async function*gs(e){let{bytes:t}=e;if("then"in t&&(t=await t),t instanceof Uint8Array)yield t,e.l=ri(t,0),e.o=BigInt(t.length);else{e.o=0n;const n=t.getReader();for(;;){const{value:r,done:i}=await n.read();if(i)break;e.l=ri(r,e.l),e.o+=BigInt(r.length),yield r}}}function _s(e,t){const n=kt(16+(t?8:0));return n.setUint32(0,1347094280),n.setUint32(4,e.isFile?e.l:0,1),t?(n.setBigUint64(8,e.o,1),n.setBigUint64(16,e.o,1)):(n.setUint32(8,tt(e.o),1),n.setUint32(12,tt(e.o),1)),Ue(n)}function ys(e,t,n=0,r=0){const i=kt(46);return i.setUint32(0,1347092738),i.setUint32(4,755182848),i.setUint16(8,2048|n),Qi(e.t,i,12),i.setUint32(16,e.isFile?e.l:0,1),i.setUint32(20,tt(e.o),1),i.setUint32(24,tt(e.o),1),i.setUint16(28,e.i.length,1),i.setUint16(30,r,1),i.setUint16(40,e.mode|(e.isFile?32768:16384),1),i.setUint32(42,tt(t),1),Ue(i)}function ws(e,t,n){const r=kt(n);return r.setUint16(0,1,1),r.setUint16(2,n-4,1),16&n&&(r.setBigUint64(4,e.o,1),r.setBigUint64(12,e.o,1)),r.setBigUint64(n-8,t,1),Ue(r)}function Xi(e){return e instanceof File||e instanceof Response?[[e],[e]]:[[e.input,e.name,e.size],[e.input,e.lastModified,e.mode]]}var bs=e=>(function(t){let n=BigInt(22),r=0n,i=0;for(const o of t){if(!o.i)throw new Error("Every file must have a non-empty name.");if(o.o===void 0)throw new Error(`Missing size for file "${new TextDecoder().decode(o.i)}".`);const a=o.o>=0xffffffffn,l=r>=0xffffffffn;r+=BigInt(46+o.i.length+(a&&8))+o.o,n+=BigInt(o.i.length+46+(12*l|28*a)),i||(i=a)}return(i||r>=0xffffffffn)&&(n+=BigInt(76)),n+r})((function*(t){for(const n of t)yield Yi(...Xi(n)[0])})(e));function ks(e,t={}){const n={"Content-Type":"application/zip","Content-Disposition":"attachment"};return(typeof t.length=="bigint"||Number.isInteger(t.length))&&t.length>0&&(n["Content-Length"]=String(t.length)),t.metadata&&(n["Content-Length"]=String(bs(t.metadata))),new Response(xs(e,t),{headers:n})}function xs(e,t={}){const n=(function(r){const i=r[Symbol.iterator in r?Symbol.iterator:Symbol.asyncIterator]();return{async next(){const o=await i.next();if(o.done)return o;const[a,l]=Xi(o.value);return{done:0,value:Object.assign(us(...l),Yi(...a))}},throw:i.throw?.bind(i),[Symbol.asyncIterator](){return this}}})(e);return Ki((async function*(r,i){const o=[];let a=0n,l=0n,f=0;for await(const m of r){const d=ps(m,i.buffersAreUTF8);yield ms(m,d),yield new Uint8Array(m.i),m.isFile&&(yield*gs(m));const _=m.o>=0xffffffffn,b=12*(a>=0xffffffffn)|28*_;yield _s(m,_),o.push(ys(m,a,d,b)),o.push(m.i),b&&o.push(ws(m,a,b)),_&&(a+=8n),l++,a+=BigInt(46+m.i.length)+m.o,f||(f=_)}let u=0n;for(const m of o)yield m,u+=BigInt(m.length);if(f||a>=0xffffffffn){const m=kt(76);m.setUint32(0,1347094022),m.setBigUint64(4,BigInt(44),1),m.setUint32(12,755182848),m.setBigUint64(24,l,1),m.setBigUint64(32,l,1),m.setBigUint64(40,u,1),m.setBigUint64(48,a,1),m.setUint32(56,1347094023),m.setBigUint64(64,a+u,1),m.setUint32(72,1,1),yield Ue(m)}const p=kt(22);p.setUint32(0,1347093766),p.setUint16(8,ni(l),1),p.setUint16(10,ni(l),1),p.setUint32(12,tt(u),1),p.setUint32(16,tt(a),1),yield Ue(p)})(n,t),n)}class me extends String{__apiType;value;__meta__;constructor(t,n){super(t),this.value=t,this.__meta__=n}toString(){return this.value}}const As=new me(`
    fragment ArtifactRow on Artifact {
  id
  key
  version
  isLatest
  type
  category
  displayName
  sizeBytes
  status
  createdAt
  workflowRun {
    id
    name
    status
  }
}
    `,{fragmentName:"ArtifactRow"}),Ts=new me(`
    query Viewer {
  viewer {
    subject
    organizationId
    scopes
  }
}
    `),Ss=new me(`
    query Home($filter: ArtifactFilter, $first: Int, $after: String) {
  latestArtifacts(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      ...ArtifactRow
    }
  }
}
    fragment ArtifactRow on Artifact {
  id
  key
  version
  isLatest
  type
  category
  displayName
  sizeBytes
  status
  createdAt
  workflowRun {
    id
    name
    status
  }
}`),Rs=new me(`
    query HomeSide($unkeyed: ArtifactFilter) {
  unkeyed: artifacts(filter: $unkeyed, first: 10) {
    nodes {
      ...ArtifactRow
    }
  }
  jobRuns(first: 10) {
    nodes {
      id
      name
      status
      createdAt
    }
  }
  workflowRuns(first: 10) {
    nodes {
      id
      name
      status
      createdAt
      workflow {
        id
        name
      }
    }
  }
  workflows(first: 100) {
    nodes {
      id
      name
    }
  }
}
    fragment ArtifactRow on Artifact {
  id
  key
  version
  isLatest
  type
  category
  displayName
  sizeBytes
  status
  createdAt
  workflowRun {
    id
    name
    status
  }
}`),Es=new me(`
    query WorkflowPage($id: ID!, $runsAfter: String, $artifactsAfter: String) {
  workflow(id: $id) {
    id
    name
    description
    tags
    createdAt
    runs(first: 25, after: $runsAfter) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        name
        status
        createdAt
        startedAt
        endedAt
      }
    }
    artifacts(first: 25, after: $artifactsAfter) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        ...ArtifactRow
      }
    }
  }
}
    fragment ArtifactRow on Artifact {
  id
  key
  version
  isLatest
  type
  category
  displayName
  sizeBytes
  status
  createdAt
  workflowRun {
    id
    name
    status
  }
}`),vs=new me(`
    query RunPage($id: ID!, $after: String) {
  workflowRun(id: $id) {
    id
    name
    status
    parameters
    createdAt
    startedAt
    endedAt
    workflow {
      id
      name
    }
    jobRun {
      id
      name
      status
    }
    artifacts(first: 50, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        ...ArtifactRow
      }
    }
  }
}
    fragment ArtifactRow on Artifact {
  id
  key
  version
  isLatest
  type
  category
  displayName
  sizeBytes
  status
  createdAt
  workflowRun {
    id
    name
    status
  }
}`),Is=new me(`
    query JobPage($id: ID!, $runsAfter: String, $after: String) {
  jobRun(id: $id) {
    id
    name
    status
    metadata
    createdAt
    startedAt
    endedAt
    workflowRuns(first: 50, after: $runsAfter) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        name
        status
        createdAt
        workflow {
          id
          name
        }
      }
    }
    artifacts(first: 50, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        ...ArtifactRow
      }
    }
  }
}
    fragment ArtifactRow on Artifact {
  id
  key
  version
  isLatest
  type
  category
  displayName
  sizeBytes
  status
  createdAt
  workflowRun {
    id
    name
    status
  }
}`),$s=new me(`
    query ArtifactPage($id: ID!, $versionsAfter: String) {
  artifact(id: $id) {
    ...ArtifactRow
    description
    mimeType
    sha256
    data
    metadata
    createdBy
    updatedAt
    workflow {
      id
      name
    }
    jobRun {
      id
      name
    }
    preview {
      text
      truncated
      columns
      rows
    }
    versions(first: 20, after: $versionsAfter) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        ...ArtifactRow
      }
    }
  }
}
    fragment ArtifactRow on Artifact {
  id
  key
  version
  isLatest
  type
  category
  displayName
  sizeBytes
  status
  createdAt
  workflowRun {
    id
    name
    status
  }
}`),Ns=new me(`
    query InlineUrl($id: ID!) {
  artifact(id: $id) {
    id
    signedUrl(disposition: INLINE) {
      url
      expiresAt
    }
  }
}
    `),Ps=new me(`
    query DownloadUrl($id: ID!) {
  artifact(id: $id) {
    id
    displayName
    signedUrl {
      url
      expiresAt
    }
  }
}
    `),Cs=new me(`
    query Bundle($filter: ArtifactFilter, $after: String) {
  artifacts(filter: $filter, first: 100, after: $after) {
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      id
      key
      version
      type
      displayName
      data
      signedUrl {
        url
      }
    }
  }
}
    `),Ds=new me(`
    query KeyPage($key: String!, $after: String) {
  artifacts(
    filter: {key: {eq: $key}}
    sort: VERSION_DESC
    first: 50
    after: $after
  ) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      ...ArtifactRow
      description
      sha256
    }
  }
}
    fragment ArtifactRow on Artifact {
  id
  key
  version
  isLatest
  type
  category
  displayName
  sizeBytes
  status
  createdAt
  workflowRun {
    id
    name
    status
  }
}`),Ls=new me(`
    query Content($id: ID!) {
  artifact(id: $id) {
    id
    type
    version
    data
    preview(maxBytes: 262144) {
      text
      truncated
      columns
      rows
    }
  }
}
    `),Os=new me(`
    subscription Published($workflowRunId: ID, $jobRunId: ID) {
  artifactPublished(workflowRunId: $workflowRunId, jobRunId: $jobRunId) {
    id
    displayName
  }
}
    `),Ms={"\n  fragment ArtifactRow on Artifact {\n    id\n    key\n    version\n    isLatest\n    type\n    category\n    displayName\n    sizeBytes\n    status\n    createdAt\n    workflowRun {\n      id\n      name\n      status\n    }\n  }\n":As,"\n  query Viewer {\n    viewer {\n      subject\n      organizationId\n      scopes\n    }\n  }\n":Ts,"\n  query Home($filter: ArtifactFilter, $first: Int, $after: String) {\n    latestArtifacts(filter: $filter, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        ...ArtifactRow\n      }\n    }\n  }\n":Ss,"\n  query HomeSide($unkeyed: ArtifactFilter) {\n    unkeyed: artifacts(filter: $unkeyed, first: 10) {\n      nodes {\n        ...ArtifactRow\n      }\n    }\n    jobRuns(first: 10) {\n      nodes {\n        id\n        name\n        status\n        createdAt\n      }\n    }\n    workflowRuns(first: 10) {\n      nodes {\n        id\n        name\n        status\n        createdAt\n        workflow {\n          id\n          name\n        }\n      }\n    }\n    workflows(first: 100) {\n      nodes {\n        id\n        name\n      }\n    }\n  }\n":Rs,"\n  query WorkflowPage($id: ID!, $runsAfter: String, $artifactsAfter: String) {\n    workflow(id: $id) {\n      id\n      name\n      description\n      tags\n      createdAt\n      runs(first: 25, after: $runsAfter) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        nodes {\n          id\n          name\n          status\n          createdAt\n          startedAt\n          endedAt\n        }\n      }\n      artifacts(first: 25, after: $artifactsAfter) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        nodes {\n          ...ArtifactRow\n        }\n      }\n    }\n  }\n":Es,"\n  query RunPage($id: ID!, $after: String) {\n    workflowRun(id: $id) {\n      id\n      name\n      status\n      parameters\n      createdAt\n      startedAt\n      endedAt\n      workflow {\n        id\n        name\n      }\n      jobRun {\n        id\n        name\n        status\n      }\n      artifacts(first: 50, after: $after) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        nodes {\n          ...ArtifactRow\n        }\n      }\n    }\n  }\n":vs,"\n  query JobPage($id: ID!, $runsAfter: String, $after: String) {\n    jobRun(id: $id) {\n      id\n      name\n      status\n      metadata\n      createdAt\n      startedAt\n      endedAt\n      workflowRuns(first: 50, after: $runsAfter) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        nodes {\n          id\n          name\n          status\n          createdAt\n          workflow {\n            id\n            name\n          }\n        }\n      }\n      artifacts(first: 50, after: $after) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        nodes {\n          ...ArtifactRow\n        }\n      }\n    }\n  }\n":Is,"\n  query ArtifactPage($id: ID!, $versionsAfter: String) {\n    artifact(id: $id) {\n      ...ArtifactRow\n      description\n      mimeType\n      sha256\n      data\n      metadata\n      createdBy\n      updatedAt\n      workflow {\n        id\n        name\n      }\n      jobRun {\n        id\n        name\n      }\n      preview {\n        text\n        truncated\n        columns\n        rows\n      }\n      versions(first: 20, after: $versionsAfter) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        nodes {\n          ...ArtifactRow\n        }\n      }\n    }\n  }\n":$s,"\n  query InlineUrl($id: ID!) {\n    artifact(id: $id) {\n      id\n      signedUrl(disposition: INLINE) {\n        url\n        expiresAt\n      }\n    }\n  }\n":Ns,"\n  query DownloadUrl($id: ID!) {\n    artifact(id: $id) {\n      id\n      displayName\n      signedUrl {\n        url\n        expiresAt\n      }\n    }\n  }\n":Ps,"\n  query Bundle($filter: ArtifactFilter, $after: String) {\n    artifacts(filter: $filter, first: 100, after: $after) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        key\n        version\n        type\n        displayName\n        data\n        signedUrl {\n          url\n        }\n      }\n    }\n  }\n":Cs,"\n  query KeyPage($key: String!, $after: String) {\n    artifacts(filter: { key: { eq: $key } }, sort: VERSION_DESC, first: 50, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        ...ArtifactRow\n        description\n        sha256\n      }\n    }\n  }\n":Ds,"\n  query Content($id: ID!) {\n    artifact(id: $id) {\n      id\n      type\n      version\n      data\n      preview(maxBytes: 262144) {\n        text\n        truncated\n        columns\n        rows\n      }\n    }\n  }\n":Ls,"\n  subscription Published($workflowRunId: ID, $jobRunId: ID) {\n    artifactPublished(workflowRunId: $workflowRunId, jobRunId: $jobRunId) {\n      id\n      displayName\n    }\n  }\n":Os};function ge(e){return Ms[e]??{}}ge(`
  fragment ArtifactRow on Artifact {
    id
    key
    version
    isLatest
    type
    category
    displayName
    sizeBytes
    status
    createdAt
    workflowRun {
      id
      name
      status
    }
  }
`);const Us=ge(`
  query Viewer {
    viewer {
      subject
      organizationId
      scopes
    }
  }
`),zs=ge(`
  query Home($filter: ArtifactFilter, $first: Int, $after: String) {
    latestArtifacts(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        ...ArtifactRow
      }
    }
  }
`),Bs=ge(`
  query HomeSide($unkeyed: ArtifactFilter) {
    unkeyed: artifacts(filter: $unkeyed, first: 10) {
      nodes {
        ...ArtifactRow
      }
    }
    jobRuns(first: 10) {
      nodes {
        id
        name
        status
        createdAt
      }
    }
    workflowRuns(first: 10) {
      nodes {
        id
        name
        status
        createdAt
        workflow {
          id
          name
        }
      }
    }
    workflows(first: 100) {
      nodes {
        id
        name
      }
    }
  }
`),Fs=ge(`
  query WorkflowPage($id: ID!, $runsAfter: String, $artifactsAfter: String) {
    workflow(id: $id) {
      id
      name
      description
      tags
      createdAt
      runs(first: 25, after: $runsAfter) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          id
          name
          status
          createdAt
          startedAt
          endedAt
        }
      }
      artifacts(first: 25, after: $artifactsAfter) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          ...ArtifactRow
        }
      }
    }
  }
`),js=ge(`
  query RunPage($id: ID!, $after: String) {
    workflowRun(id: $id) {
      id
      name
      status
      parameters
      createdAt
      startedAt
      endedAt
      workflow {
        id
        name
      }
      jobRun {
        id
        name
        status
      }
      artifacts(first: 50, after: $after) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          ...ArtifactRow
        }
      }
    }
  }
`),qs=ge(`
  query JobPage($id: ID!, $runsAfter: String, $after: String) {
    jobRun(id: $id) {
      id
      name
      status
      metadata
      createdAt
      startedAt
      endedAt
      workflowRuns(first: 50, after: $runsAfter) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          id
          name
          status
          createdAt
          workflow {
            id
            name
          }
        }
      }
      artifacts(first: 50, after: $after) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          ...ArtifactRow
        }
      }
    }
  }
`),Hs=ge(`
  query ArtifactPage($id: ID!, $versionsAfter: String) {
    artifact(id: $id) {
      ...ArtifactRow
      description
      mimeType
      sha256
      data
      metadata
      createdBy
      updatedAt
      workflow {
        id
        name
      }
      jobRun {
        id
        name
      }
      preview {
        text
        truncated
        columns
        rows
      }
      versions(first: 20, after: $versionsAfter) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          ...ArtifactRow
        }
      }
    }
  }
`),Ws=ge(`
  query InlineUrl($id: ID!) {
    artifact(id: $id) {
      id
      signedUrl(disposition: INLINE) {
        url
        expiresAt
      }
    }
  }
`),Gs=ge(`
  query DownloadUrl($id: ID!) {
    artifact(id: $id) {
      id
      displayName
      signedUrl {
        url
        expiresAt
      }
    }
  }
`),Vs=ge(`
  query Bundle($filter: ArtifactFilter, $after: String) {
    artifacts(filter: $filter, first: 100, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        key
        version
        type
        displayName
        data
        signedUrl {
          url
        }
      }
    }
  }
`),Ks=ge(`
  query KeyPage($key: String!, $after: String) {
    artifacts(filter: { key: { eq: $key } }, sort: VERSION_DESC, first: 50, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        ...ArtifactRow
        description
        sha256
      }
    }
  }
`),ii=ge(`
  query Content($id: ID!) {
    artifact(id: $id) {
      id
      type
      version
      data
      preview(maxBytes: 262144) {
        text
        truncated
        columns
        rows
      }
    }
  }
`),Ys=ge(`
  subscription Published($workflowRunId: ID, $jobRunId: ID) {
    artifactPublished(workflowRunId: $workflowRunId, jobRunId: $jobRunId) {
      id
      displayName
    }
  }
`);function Zi(e,t){const n=document.createElement("a");n.href=e,n.download=t,n.rel="noopener noreferrer",document.body.appendChild(n),n.click(),n.remove()}async function Js(e){const t=await hn(Gs,{id:e}),n=t.artifact?.signedUrl?.url;if(!n)throw new Error("This artifact has no file to download (it is not available).");Zi(n,t.artifact?.displayName??"artifact")}const Qs={MARKDOWN:"md",TABLE:"json",LINK:"json"};function Xs(e){return e.replace(/[\\/:*?"<>|\u0000-\u001f]/g,"_").replace(/^\.+/,"_")||"artifact"}async function Zs(e,t){const n=[];let r=null;for(;;){const p=await hn(Vs,{filter:e,after:r});for(const m of p.artifacts.nodes){const d=m.version?`v${m.version}-`:"",_=`${m.key?`${m.key}/`:""}${d}${Xs(m.displayName)}`,b=Qs[m.type];n.push({id:m.id,name:b&&!_.endsWith(`.${b}`)?`${_}.${b}`:_,data:m.data,url:m.signedUrl?.url??null,type:m.type})}if(!p.artifacts.pageInfo.hasNextPage)break;r=p.artifacts.pageInfo.endCursor??null}const i=new Set;async function*o(){for(const p of n){let m=p.name;for(let d=2;i.has(m);d+=1)m=`${p.name} (${d})`;if(i.add(m),p.url){const d=await fetch(p.url,{referrerPolicy:"no-referrer"});if(!d.ok)throw new Error(`Storage answered ${d.status} for ${m}.`);yield{name:m,input:d}}else{const d=typeof p.data=="string"?p.data:JSON.stringify(p.data,null,2);yield{name:m,input:d}}}}const a=ks(o()),l=window.showSaveFilePicker;if(l&&a.body)try{const m=await(await l({suggestedName:t})).createWritable();return await a.body.pipeTo(m),n.length}catch(p){if(p instanceof DOMException&&p.name==="AbortError")return 0}const f=await a.blob(),u=URL.createObjectURL(f);return Zi(u,t),setTimeout(()=>URL.revokeObjectURL(u),6e4),n.length}function he(e){return e===null?"null":Array.isArray(e)?"array":typeof e}function Ze(e){return he(e)==="object"}function ea(e){return Array.isArray(e)&&e.length>0&&e.every(t=>"message"in t)}function oi(e,t){return e.length<124?e:t}const ta="graphql-transport-ws";var we=(e=>(e[e.InternalServerError=4500]="InternalServerError",e[e.InternalClientError=4005]="InternalClientError",e[e.BadRequest=4400]="BadRequest",e[e.BadResponse=4004]="BadResponse",e[e.Unauthorized=4401]="Unauthorized",e[e.Forbidden=4403]="Forbidden",e[e.SubprotocolNotAcceptable=4406]="SubprotocolNotAcceptable",e[e.ConnectionInitialisationTimeout=4408]="ConnectionInitialisationTimeout",e[e.ConnectionAcknowledgementTimeout=4504]="ConnectionAcknowledgementTimeout",e[e.SubscriberAlreadyExists=4409]="SubscriberAlreadyExists",e[e.TooManyInitialisationRequests=4429]="TooManyInitialisationRequests",e))(we||{}),be=(e=>(e.ConnectionInit="connection_init",e.ConnectionAck="connection_ack",e.Ping="ping",e.Pong="pong",e.Subscribe="subscribe",e.Next="next",e.Error="error",e.Complete="complete",e))(be||{});function eo(e){if(!Ze(e))throw new Error(`Message is expected to be an object, but got ${he(e)}`);if(!e.type)throw new Error("Message is missing the 'type' property");if(typeof e.type!="string")throw new Error(`Message is expects the 'type' property to be a string, but got ${he(e.type)}`);switch(e.type){case"connection_init":case"connection_ack":case"ping":case"pong":{if(e.payload!=null&&!Ze(e.payload))throw new Error(`"${e.type}" message expects the 'payload' property to be an object or nullish or missing, but got "${e.payload}"`);break}case"subscribe":{if(typeof e.id!="string")throw new Error(`"${e.type}" message expects the 'id' property to be a string, but got ${he(e.id)}`);if(!e.id)throw new Error(`"${e.type}" message requires a non-empty 'id' property`);if(!Ze(e.payload))throw new Error(`"${e.type}" message expects the 'payload' property to be an object, but got ${he(e.payload)}`);if(typeof e.payload.query!="string")throw new Error(`"${e.type}" message payload expects the 'query' property to be a string, but got ${he(e.payload.query)}`);if(e.payload.variables!=null&&!Ze(e.payload.variables))throw new Error(`"${e.type}" message payload expects the 'variables' property to be a an object or nullish or missing, but got ${he(e.payload.variables)}`);if(e.payload.operationName!=null&&he(e.payload.operationName)!=="string")throw new Error(`"${e.type}" message payload expects the 'operationName' property to be a string or nullish or missing, but got ${he(e.payload.operationName)}`);if(e.payload.extensions!=null&&!Ze(e.payload.extensions))throw new Error(`"${e.type}" message payload expects the 'extensions' property to be a an object or nullish or missing, but got ${he(e.payload.extensions)}`);break}case"next":{if(typeof e.id!="string")throw new Error(`"${e.type}" message expects the 'id' property to be a string, but got ${he(e.id)}`);if(!e.id)throw new Error(`"${e.type}" message requires a non-empty 'id' property`);if(!Ze(e.payload))throw new Error(`"${e.type}" message expects the 'payload' property to be an object, but got ${he(e.payload)}`);break}case"error":{if(typeof e.id!="string")throw new Error(`"${e.type}" message expects the 'id' property to be a string, but got ${he(e.id)}`);if(!e.id)throw new Error(`"${e.type}" message requires a non-empty 'id' property`);if(!ea(e.payload))throw new Error(`"${e.type}" message expects the 'payload' property to be an array of GraphQL errors, but got ${JSON.stringify(e.payload)}`);break}case"complete":{if(typeof e.id!="string")throw new Error(`"${e.type}" message expects the 'id' property to be a string, but got ${he(e.id)}`);if(!e.id)throw new Error(`"${e.type}" message requires a non-empty 'id' property`);break}default:throw new Error(`Invalid message 'type' property "${e.type}"`)}return e}function na(e,t){return eo(typeof e=="string"?JSON.parse(e,t):e)}function Et(e,t){return eo(e),JSON.stringify(e,t)}function ra(e){const{url:t,connectionParams:n,lazy:r=!0,onNonLazyError:i=console.error,lazyCloseTimeout:o=0,keepAlive:a=0,disablePong:l,connectionAckWaitTimeout:f=0,retryAttempts:u=5,retryWait:p=async function(M){const E=Math.pow(2,M);await new Promise(D=>setTimeout(D,E*1e3+Math.floor(Math.random()*2700+300)))},shouldRetry:m=Mn,on:d,webSocketImpl:_,generateID:b=function(){return"xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".replace(/[xy]/g,M=>{const E=Math.random()*16|0;return(M=="x"?E:E&3|8).toString(16)})},jsonMessageReplacer:N,jsonMessageReviver:R}=e;let A;if(_){if(!oa(_))throw new Error("Invalid WebSocket implementation provided");A=_}else typeof WebSocket<"u"?A=WebSocket:typeof global<"u"?A=global.WebSocket||global.MozWebSocket:typeof window<"u"&&(A=window.WebSocket||window.MozWebSocket);if(!A)throw new Error("WebSocket implementation missing; on Node you can `import WebSocket from 'ws';` and pass `webSocketImpl: WebSocket` to `createClient`");const y=A,T=(()=>{const $=(()=>{const E={};return{on(D,F){return E[D]=F,()=>{delete E[D]}},emit(D){"id"in D&&E[D.id]?.(D)}}})(),M={connecting:d?.connecting?[d.connecting]:[],opened:d?.opened?[d.opened]:[],connected:d?.connected?[d.connected]:[],ping:d?.ping?[d.ping]:[],pong:d?.pong?[d.pong]:[],message:d?.message?[$.emit,d.message]:[$.emit],closed:d?.closed?[d.closed]:[],error:d?.error?[d.error]:[]};return{onMessage:$.on,on(E,D){const F=M[E];return F.push(D),()=>{const Z=F.indexOf(D);Z>-1&&F.splice(Z,1)}},emit(E,...D){for(const F of[...M[E]])F(...D)}}})();function L($){const M=[T.on("error",E=>{M.forEach(D=>D()),$(E)}),T.on("closed",E=>{M.forEach(D=>D()),$(E)})]}let I,v=0,le,oe=!1,ke=0,X=!1;async function ye(){clearTimeout(le);const[$,M]=await(I??(I=new Promise((F,Z)=>(async()=>{if(oe){if(await p(ke),!v)return I=void 0,Z({code:1e3,reason:"All Subscriptions Gone"});ke++}T.emit("connecting",oe);const O=new y(typeof t=="function"?await t():t,ta);let U,Ye;function st(){isFinite(a)&&a>0&&(clearTimeout(Ye),Ye=setTimeout(()=>{O.readyState===y.OPEN&&(O.send(Et({type:be.Ping})),T.emit("ping",!1,void 0))},a))}L(te=>{I=void 0,clearTimeout(U),clearTimeout(Ye),Z(te),te instanceof si&&(O.close(4499,"Terminated"),O.onerror=null,O.onclose=null)}),O.onerror=te=>T.emit("error",te),O.onclose=te=>T.emit("closed",te),O.onopen=async()=>{try{T.emit("opened",O);const te=typeof n=="function"?await n():n;if(O.readyState!==y.OPEN)return;O.send(Et(te?{type:be.ConnectionInit,payload:te}:{type:be.ConnectionInit},N)),isFinite(f)&&f>0&&(U=setTimeout(()=>{O.close(we.ConnectionAcknowledgementTimeout,"Connection acknowledgement timeout")},f)),st()}catch(te){T.emit("error",te),O.close(we.InternalClientError,oi(te instanceof Error?te.message:String(te),"Internal client error"))}};let ze=!1;O.onmessage=({data:te})=>{try{const ee=na(te,R);if(T.emit("message",ee),ee.type==="ping"||ee.type==="pong"){T.emit(ee.type,!0,ee.payload),ee.type==="pong"?st():l||(O.send(Et(ee.payload?{type:be.Pong,payload:ee.payload}:{type:be.Pong})),T.emit("pong",!1,ee.payload));return}if(ze)return;if(ee.type!==be.ConnectionAck)throw new Error(`First message cannot be of type ${ee.type}`);clearTimeout(U),ze=!0,T.emit("connected",O,ee.payload,oe),oe=!1,ke=0,F([O,new Promise((_r,zt)=>L(zt))])}catch(ee){O.onmessage=null,T.emit("error",ee),O.close(we.BadResponse,oi(ee instanceof Error?ee.message:String(ee),"Bad response"))}}})())));$.readyState===y.CLOSING&&await M;let E=()=>{};const D=new Promise(F=>E=F);return[$,E,Promise.race([D.then(()=>{if(!v){const F=()=>$.close(1e3,"Normal Closure");isFinite(o)&&o>0?le=setTimeout(()=>{$.readyState===y.OPEN&&F()},o):F()}}),M])]}function Le($){if(Mn($)&&(ia($.code)||[we.InternalServerError,we.InternalClientError,we.BadRequest,we.BadResponse,we.Unauthorized,we.SubprotocolNotAcceptable,we.SubscriberAlreadyExists,we.TooManyInitialisationRequests].includes($.code)))throw $;if(X)return!1;if(Mn($)&&$.code===1e3)return v>0;if(!u||ke>=u||!m($))throw $;return oe=!0}r||(async()=>{for(v++;;)try{const[,,$]=await ye();await $}catch($){try{if(!Le($))return}catch(M){return i?.(M)}}})();function Ut($,M){const E=b($);let D=!1,F=!1,Z=()=>{v--,D=!0};return(async()=>{for(v++;;)try{const[O,U,Ye]=await ye();if(D)return U();const st=T.onMessage(E,ze=>{switch(ze.type){case be.Next:{M.next(ze.payload);return}case be.Error:{F=!0,D=!0,M.error(ze.payload),Z();return}case be.Complete:{D=!0,Z();return}}});O.send(Et({id:E,type:be.Subscribe,payload:$},N)),Z=()=>{!D&&O.readyState===y.OPEN&&O.send(Et({id:E,type:be.Complete},N)),v--,D=!0,U()},await Ye.finally(st);return}catch(O){if(!Le(O))return}})().then(()=>{F||M.complete()}).catch(O=>{M.error(O)}),()=>{D||Z()}}return{on:T.on,subscribe:Ut,iterate($){const M=[],E={done:!1,error:null,resolve:()=>{}},D=Ut($,{next(Z){M.push(Z),E.resolve()},error(Z){E.done=!0,E.error=Z,E.resolve()},complete(){E.done=!0,E.resolve()}}),F=(async function*(){for(;;){for(M.length||await new Promise(O=>E.resolve=O);M.length;)yield M.shift();if(E.error)throw E.error;if(E.done)return}})();return F.throw=async Z=>(E.done||(E.done=!0,E.error=Z,E.resolve()),{done:!0,value:void 0}),F.return=async()=>(D(),{done:!0,value:void 0}),F},async dispose(){if(X=!0,I){const[$]=await I;$.close(1e3,"Normal Closure")}},terminate(){I&&T.emit("closed",new si)}}}class si extends Error{name="TerminatedCloseEvent";message="4499: Terminated";code=4499;reason="Terminated";wasClean=!1}function Mn(e){return Ze(e)&&"code"in e&&"reason"in e}function ia(e){return[1e3,1001,1006,1005,1012,1013,1014].includes(e)?!1:e>=1e3&&e<=1999}function oa(e){return typeof e=="function"&&"constructor"in e&&"CLOSED"in e&&"CLOSING"in e&&"CONNECTING"in e&&"OPEN"in e}function to(e,t){const[n,r]=q("connecting"),i=JSON.stringify(e);return xt(()=>{const o=window.location.protocol==="https:"?"wss":"ws",a=ra({url:`${o}://${window.location.host}/graphql`,connectionParams:()=>({Authorization:`Bearer ${sn()??""}`}),retryAttempts:5,on:{connected:()=>r("live"),closed:()=>r("offline")}}),l=a.subscribe({query:Ys.toString(),variables:e},{next:f=>{const u=f.data?.artifactPublished.displayName;u!==void 0&&t(u)},error:()=>r("offline"),complete:()=>{}});return()=>{l(),a.dispose()}},[i]),n}function ai(e,t){(t==null||t>e.length)&&(t=e.length);for(var n=0,r=Array(t);n<t;n++)r[n]=e[n];return r}function sa(e){if(Array.isArray(e))return e}function aa(e,t){var n=e==null?null:typeof Symbol<"u"&&e[Symbol.iterator]||e["@@iterator"];if(n!=null){var r,i,o,a,l=[],f=!0,u=!1;try{if(o=(n=n.call(e)).next,t!==0)for(;!(f=(r=o.call(n)).done)&&(l.push(r.value),l.length!==t);f=!0);}catch(p){u=!0,i=p}finally{try{if(!f&&n.return!=null&&(a=n.return(),Object(a)!==a))return}finally{if(u)throw i}}return l}}function la(){throw new TypeError(`Invalid attempt to destructure non-iterable instance.
In order to be iterable, non-array objects must have a [Symbol.iterator]() method.`)}function ca(e,t){return sa(e)||aa(e,t)||ua(e,t)||la()}function ua(e,t){if(e){if(typeof e=="string")return ai(e,t);var n={}.toString.call(e).slice(8,-1);return n==="Object"&&e.constructor&&(n=e.constructor.name),n==="Map"||n==="Set"?Array.from(e):n==="Arguments"||/^(?:Ui|I)nt(?:8|16|32)(?:Clamped)?Array$/.test(n)?ai(e,t):void 0}}const no=Object.entries,li=Object.setPrototypeOf,fa=Object.isFrozen,da=Object.getPrototypeOf,pa=Object.getOwnPropertyDescriptor;let se=Object.freeze,ae=Object.seal,gt=Object.create,ro=typeof Reflect<"u"&&Reflect,Yn=ro.apply,Jn=ro.construct;se||(se=function(t){return t});ae||(ae=function(t){return t});Yn||(Yn=function(t,n){for(var r=arguments.length,i=new Array(r>2?r-2:0),o=2;o<r;o++)i[o-2]=arguments[o];return t.apply(n,i)});Jn||(Jn=function(t){for(var n=arguments.length,r=new Array(n>1?n-1:0),i=1;i<n;i++)r[i-1]=arguments[i];return new t(...r)});const dt=Q(Array.prototype.forEach),ha=Q(Array.prototype.lastIndexOf),ci=Q(Array.prototype.pop),pt=Q(Array.prototype.push),ma=Q(Array.prototype.splice),Ve=Array.isArray,Nt=Q(String.prototype.toLowerCase),Un=Q(String.prototype.toString),ui=Q(String.prototype.match),vt=Q(String.prototype.replace),fi=Q(String.prototype.indexOf),ga=Q(String.prototype.trim),_a=Q(Number.prototype.toString),ya=Q(Boolean.prototype.toString),di=typeof BigInt>"u"?null:Q(BigInt.prototype.toString),pi=typeof Symbol>"u"?null:Q(Symbol.prototype.toString),re=Q(Object.prototype.hasOwnProperty),It=Q(Object.prototype.toString),ne=Q(RegExp.prototype.test),Xe=wa(TypeError);function Q(e){return function(t){t instanceof RegExp&&(t.lastIndex=0);for(var n=arguments.length,r=new Array(n>1?n-1:0),i=1;i<n;i++)r[i-1]=arguments[i];return Yn(e,t,r)}}function wa(e){return function(){for(var t=arguments.length,n=new Array(t),r=0;r<t;r++)n[r]=arguments[r];return Jn(e,n)}}function P(e,t){let n=arguments.length>2&&arguments[2]!==void 0?arguments[2]:Nt;if(li&&li(e,null),!Ve(t))return e;let r=t.length;for(;r--;){let i=t[r];if(typeof i=="string"){const o=n(i);o!==i&&(fa(t)||(t[r]=o),i=o)}e[i]=!0}return e}function ba(e){for(let t=0;t<e.length;t++)re(e,t)||(e[t]=null);return e}function de(e){const t=gt(null);for(const r of no(e)){var n=ca(r,2);const i=n[0],o=n[1];re(e,i)&&(Ve(o)?t[i]=ba(o):o&&typeof o=="object"&&o.constructor===Object?t[i]=de(o):t[i]=o)}return t}function ka(e){switch(typeof e){case"string":return e;case"number":return _a(e);case"boolean":return ya(e);case"bigint":return di?di(e):"0";case"symbol":return pi?pi(e):"Symbol()";case"undefined":return It(e);case"function":case"object":{if(e===null)return It(e);const t=e,n=Ie(t,"toString");if(typeof n=="function"){const r=n(t);return typeof r=="string"?r:It(r)}return It(e)}default:return It(e)}}function Ie(e,t){for(;e!==null;){const r=pa(e,t);if(r){if(r.get)return Q(r.get);if(typeof r.value=="function")return Q(r.value)}e=da(e)}function n(){return null}return n}function xa(e){try{return ne(e,""),!0}catch{return!1}}const hi=se(["a","abbr","acronym","address","area","article","aside","audio","b","bdi","bdo","big","blink","blockquote","body","br","button","canvas","caption","center","cite","code","col","colgroup","content","data","datalist","dd","decorator","del","details","dfn","dialog","dir","div","dl","dt","element","em","fieldset","figcaption","figure","font","footer","form","h1","h2","h3","h4","h5","h6","head","header","hgroup","hr","html","i","img","input","ins","kbd","label","legend","li","main","map","mark","marquee","menu","menuitem","meter","nav","nobr","ol","optgroup","option","output","p","picture","pre","progress","q","rp","rt","ruby","s","samp","search","section","select","shadow","slot","small","source","spacer","span","strike","strong","style","sub","summary","sup","table","tbody","td","template","textarea","tfoot","th","thead","time","tr","track","tt","u","ul","var","video","wbr"]),zn=se(["svg","a","altglyph","altglyphdef","altglyphitem","animatecolor","animatemotion","animatetransform","circle","clippath","defs","desc","ellipse","enterkeyhint","exportparts","filter","font","g","glyph","glyphref","hkern","image","inputmode","line","lineargradient","marker","mask","metadata","mpath","part","path","pattern","polygon","polyline","radialgradient","rect","stop","style","switch","symbol","text","textpath","title","tref","tspan","view","vkern"]),Bn=se(["feBlend","feColorMatrix","feComponentTransfer","feComposite","feConvolveMatrix","feDiffuseLighting","feDisplacementMap","feDistantLight","feDropShadow","feFlood","feFuncA","feFuncB","feFuncG","feFuncR","feGaussianBlur","feImage","feMerge","feMergeNode","feMorphology","feOffset","fePointLight","feSpecularLighting","feSpotLight","feTile","feTurbulence"]),Aa=se(["animate","color-profile","cursor","discard","font-face","font-face-format","font-face-name","font-face-src","font-face-uri","foreignobject","hatch","hatchpath","mesh","meshgradient","meshpatch","meshrow","missing-glyph","script","set","solidcolor","unknown","use"]),Fn=se(["math","menclose","merror","mfenced","mfrac","mglyph","mi","mlabeledtr","mmultiscripts","mn","mo","mover","mpadded","mphantom","mroot","mrow","ms","mspace","msqrt","mstyle","msub","msup","msubsup","mtable","mtd","mtext","mtr","munder","munderover","mprescripts"]),Ta=se(["maction","maligngroup","malignmark","mlongdiv","mscarries","mscarry","msgroup","mstack","msline","msrow","semantics","annotation","annotation-xml","mprescripts","none"]),mi=se(["#text"]),gi=se(["accept","action","align","alt","autocapitalize","autocomplete","autopictureinpicture","autoplay","background","bgcolor","border","capture","cellpadding","cellspacing","checked","cite","class","clear","color","cols","colspan","command","commandfor","controls","controlslist","coords","crossorigin","datetime","decoding","default","dir","disabled","disablepictureinpicture","disableremoteplayback","download","draggable","enctype","enterkeyhint","exportparts","face","for","headers","height","hidden","high","href","hreflang","id","inert","inputmode","integrity","ismap","kind","label","lang","list","loading","loop","low","max","maxlength","media","method","min","minlength","multiple","muted","name","nonce","noshade","novalidate","nowrap","open","optimum","part","pattern","placeholder","playsinline","popover","popovertarget","popovertargetaction","poster","preload","pubdate","radiogroup","readonly","rel","required","rev","reversed","role","rows","rowspan","spellcheck","scope","selected","shape","size","sizes","slot","span","srclang","start","src","srcset","step","style","summary","tabindex","title","translate","type","usemap","valign","value","width","wrap","xmlns"]),jn=se(["accent-height","accumulate","additive","alignment-baseline","amplitude","ascent","attributename","attributetype","azimuth","basefrequency","baseline-shift","begin","bias","by","class","clip","clippathunits","clip-path","clip-rule","color","color-interpolation","color-interpolation-filters","color-profile","color-rendering","cx","cy","d","dx","dy","diffuseconstant","direction","display","divisor","dominant-baseline","dur","edgemode","elevation","end","exponent","fill","fill-opacity","fill-rule","filter","filterunits","flood-color","flood-opacity","font-family","font-size","font-size-adjust","font-stretch","font-style","font-variant","font-weight","fx","fy","g1","g2","glyph-name","glyphref","gradientunits","gradienttransform","height","href","id","image-rendering","in","in2","intercept","k","k1","k2","k3","k4","kerning","keypoints","keysplines","keytimes","lang","lengthadjust","letter-spacing","kernelmatrix","kernelunitlength","lighting-color","local","marker-end","marker-mid","marker-start","markerheight","markerunits","markerwidth","maskcontentunits","maskunits","max","mask","mask-type","media","method","mode","min","name","numoctaves","offset","operator","opacity","order","orient","orientation","origin","overflow","paint-order","path","pathlength","patterncontentunits","patterntransform","patternunits","points","preservealpha","preserveaspectratio","primitiveunits","r","rx","ry","radius","refx","refy","repeatcount","repeatdur","restart","result","rotate","scale","seed","shape-rendering","slope","specularconstant","specularexponent","spreadmethod","startoffset","stddeviation","stitchtiles","stop-color","stop-opacity","stroke-dasharray","stroke-dashoffset","stroke-linecap","stroke-linejoin","stroke-miterlimit","stroke-opacity","stroke","stroke-width","style","surfacescale","systemlanguage","tabindex","tablevalues","targetx","targety","transform","transform-origin","text-anchor","text-decoration","text-orientation","text-rendering","textlength","type","u1","u2","unicode","values","viewbox","visibility","version","vert-adv-y","vert-origin-x","vert-origin-y","width","word-spacing","wrap","writing-mode","xchannelselector","ychannelselector","x","x1","x2","xmlns","y","y1","y2","z","zoomandpan"]),_i=se(["accent","accentunder","align","bevelled","close","columnalign","columnlines","columnspacing","columnspan","denomalign","depth","dir","display","displaystyle","encoding","fence","frame","height","href","id","largeop","length","linethickness","lquote","lspace","mathbackground","mathcolor","mathsize","mathvariant","maxsize","minsize","movablelimits","notation","numalign","open","rowalign","rowlines","rowspacing","rowspan","rspace","rquote","scriptlevel","scriptminsize","scriptsizemultiplier","selection","separator","separators","stretchy","subscriptshift","supscriptshift","symmetric","voffset","width","xmlns"]),Yt=se(["xlink:href","xml:id","xlink:title","xml:space","xmlns:xlink"]),Sa=ae(/{{[\w\W]*|^[\w\W]*}}/g),Ra=ae(/<%[\w\W]*|^[\w\W]*%>/g),Ea=ae(/\${[\w\W]*/g),va=ae(/^data-[\-\w.\u00B7-\uFFFF]+$/),Ia=ae(/^aria-[\-\w]+$/),yi=ae(/^(?:(?:(?:f|ht)tps?|mailto|tel|callto|sms|cid|xmpp|matrix):|[^a-z]|[a-z+.\-]+(?:[^a-z+.\-:]|$))/i),$a=ae(/^(?:\w+script|data):/i),Na=ae(/[\u0000-\u0020\u00A0\u1680\u180E\u2000-\u2029\u205F\u3000]/g),Pa=ae(/^html$/i),Ca=ae(/^[a-z][.\w]*(-[.\w]+)+$/i),wi=ae(/<[/\w!]/g),bi=ae(/<[/\w]/g),Da=ae(/<\/no(script|embed|frames)/i),La=ae(/\/>/i),_e={element:1,attribute:2,text:3,cdataSection:4,entityReference:5,entityNode:6,processingInstruction:7,comment:8,document:9,documentType:10,documentFragment:11,notation:12},Oa=function(){return typeof window>"u"?null:window},Ma=function(t,n){if(typeof t!="object"||typeof t.createPolicy!="function")return null;let r=null;const i="data-tt-policy-suffix";n&&n.hasAttribute(i)&&(r=n.getAttribute(i));const o="dompurify"+(r?"#"+r:"");try{return t.createPolicy(o,{createHTML(a){return a},createScriptURL(a){return a}})}catch{return console.warn("TrustedTypes policy "+o+" could not be created."),null}},ki=function(){return{afterSanitizeAttributes:[],afterSanitizeElements:[],afterSanitizeShadowDOM:[],beforeSanitizeAttributes:[],beforeSanitizeElements:[],beforeSanitizeShadowDOM:[],uponSanitizeAttribute:[],uponSanitizeElement:[],uponSanitizeShadowNode:[]}},He=function(t,n,r,i){return re(t,n)&&Ve(t[n])?P(i.base?de(i.base):{},t[n],i.transform):r};function io(){let e=arguments.length>0&&arguments[0]!==void 0?arguments[0]:Oa();const t=w=>io(w);if(t.version="3.4.12",t.removed=[],!e||!e.document||e.document.nodeType!==_e.document||!e.Element)return t.isSupported=!1,t;let n=e.document;const r=n,i=r.currentScript;e.DocumentFragment;const o=e.HTMLTemplateElement,a=e.Node,l=e.Element,f=e.NodeFilter,u=e.NamedNodeMap;u===void 0&&(e.NamedNodeMap||e.MozNamedAttrMap),e.HTMLFormElement;const p=e.DOMParser,m=e.trustedTypes,d=l.prototype,_=Ie(d,"cloneNode"),b=Ie(d,"remove"),N=Ie(d,"nextSibling"),R=Ie(d,"childNodes"),A=Ie(d,"parentNode"),y=Ie(d,"shadowRoot"),T=Ie(d,"attributes"),L=a&&a.prototype?Ie(a.prototype,"nodeType"):null,I=a&&a.prototype?Ie(a.prototype,"nodeName"):null;if(typeof o=="function"){const w=n.createElement("template");w.content&&w.content.ownerDocument&&(n=w.content.ownerDocument)}let v,le="",oe,ke=!1,X=0;const ye=function(){if(X>0)throw Xe('A configured TRUSTED_TYPES_POLICY callback (createHTML or createScriptURL) must not call DOMPurify.sanitize, as that causes infinite recursion. Do not pass a policy whose callbacks wrap DOMPurify as TRUSTED_TYPES_POLICY; see the "DOMPurify and Trusted Types" section of the README.')},Le=function(c){ye(),X++;try{return v.createHTML(c)}finally{X--}},Ut=function(c){ye(),X++;try{return v.createScriptURL(c)}finally{X--}},$=function(){return ke||(oe=Ma(m,i),ke=!0),oe},M=n,E=M.implementation,D=M.createNodeIterator,F=M.createDocumentFragment,Z=M.getElementsByTagName,O=r.importNode;let U=ki();t.isSupported=typeof no=="function"&&typeof A=="function"&&E&&E.createHTMLDocument!==void 0;const Ye=Sa,st=Ra,ze=Ea,te=va,ee=Ia,_r=$a,zt=Na,wo=Ca;let yr=yi,H=null;const wr=P({},[...hi,...zn,...Bn,...Fn,...mi]);let W=null;const br=P({},[...gi,...jn,..._i,...Yt]);let G=Object.seal(gt(null,{tagNameCheck:{writable:!0,configurable:!1,enumerable:!0,value:null},attributeNameCheck:{writable:!0,configurable:!1,enumerable:!0,value:null},allowCustomizedBuiltInElements:{writable:!0,configurable:!1,enumerable:!0,value:!1}})),Tt=null,kr=null;const Be=Object.seal(gt(null,{tagCheck:{writable:!0,configurable:!1,enumerable:!0,value:null},attributeCheck:{writable:!0,configurable:!1,enumerable:!0,value:null}}));let xr=!0,_n=!0,Ar=!1,Tr=!0,Fe=!1,je=!0,Je=!1,yn=!1,wn=null,bn=null,kn=!1,at=!1,Bt=!1,Ft=!1,Sr=!0,Rr=!1;const Er="user-content-";let xn=!0,An=!1,lt={},Re=null;const Tn=P({},["annotation-xml","audio","colgroup","desc","foreignobject","head","iframe","math","mi","mn","mo","ms","mtext","noembed","noframes","noscript","plaintext","script","selectedcontent","style","svg","template","thead","title","video","xmp"]);let vr=null;const Ir=P({},["audio","video","img","source","image","track"]);let Sn=null;const $r=P({},["alt","class","for","id","label","name","pattern","placeholder","role","summary","title","value","style","xmlns"]),jt="http://www.w3.org/1998/Math/MathML",qt="http://www.w3.org/2000/svg",Ee="http://www.w3.org/1999/xhtml";let ct=Ee,Rn=!1,En=null;const bo=P({},[jt,qt,Ee],Un),Nr=se(["mi","mo","mn","ms","mtext"]);let vn=P({},Nr);const Pr=se(["annotation-xml"]);let In=P({},Pr);const ko=P({},["title","style","font","a","script"]);let St=null;const xo=["application/xhtml+xml","text/html"],Ao="text/html";let j=null,ut=null;const To=n.createElement("form"),Cr=function(c){return c instanceof RegExp||c instanceof Function},$n=function(){let c=arguments.length>0&&arguments[0]!==void 0?arguments[0]:{};if(ut&&ut===c)return;(!c||typeof c!="object")&&(c={}),c=de(c),St=xo.indexOf(c.PARSER_MEDIA_TYPE)===-1?Ao:c.PARSER_MEDIA_TYPE,j=St==="application/xhtml+xml"?Un:Nt,H=He(c,"ALLOWED_TAGS",wr,{transform:j}),W=He(c,"ALLOWED_ATTR",br,{transform:j}),En=He(c,"ALLOWED_NAMESPACES",bo,{transform:Un}),Sn=He(c,"ADD_URI_SAFE_ATTR",$r,{transform:j,base:$r}),vr=He(c,"ADD_DATA_URI_TAGS",Ir,{transform:j,base:Ir}),Re=He(c,"FORBID_CONTENTS",Tn,{transform:j}),Tt=He(c,"FORBID_TAGS",de({}),{transform:j}),kr=He(c,"FORBID_ATTR",de({}),{transform:j}),lt=re(c,"USE_PROFILES")?c.USE_PROFILES&&typeof c.USE_PROFILES=="object"?de(c.USE_PROFILES):c.USE_PROFILES:!1,xr=c.ALLOW_ARIA_ATTR!==!1,_n=c.ALLOW_DATA_ATTR!==!1,Ar=c.ALLOW_UNKNOWN_PROTOCOLS||!1,Tr=c.ALLOW_SELF_CLOSE_IN_ATTR!==!1,Fe=c.SAFE_FOR_TEMPLATES||!1,je=c.SAFE_FOR_XML!==!1,Je=c.WHOLE_DOCUMENT||!1,at=c.RETURN_DOM||!1,Bt=c.RETURN_DOM_FRAGMENT||!1,Ft=c.RETURN_TRUSTED_TYPE||!1,kn=c.FORCE_BODY||!1,Sr=c.SANITIZE_DOM!==!1,Rr=c.SANITIZE_NAMED_PROPS||!1,xn=c.KEEP_CONTENT!==!1,An=c.IN_PLACE||!1,yr=xa(c.ALLOWED_URI_REGEXP)?c.ALLOWED_URI_REGEXP:yi,ct=typeof c.NAMESPACE=="string"?c.NAMESPACE:Ee,vn=re(c,"MATHML_TEXT_INTEGRATION_POINTS")&&c.MATHML_TEXT_INTEGRATION_POINTS&&typeof c.MATHML_TEXT_INTEGRATION_POINTS=="object"?de(c.MATHML_TEXT_INTEGRATION_POINTS):P({},Nr),In=re(c,"HTML_INTEGRATION_POINTS")&&c.HTML_INTEGRATION_POINTS&&typeof c.HTML_INTEGRATION_POINTS=="object"?de(c.HTML_INTEGRATION_POINTS):P({},Pr);const h=re(c,"CUSTOM_ELEMENT_HANDLING")&&c.CUSTOM_ELEMENT_HANDLING&&typeof c.CUSTOM_ELEMENT_HANDLING=="object"?de(c.CUSTOM_ELEMENT_HANDLING):gt(null);if(G=gt(null),re(h,"tagNameCheck")&&Cr(h.tagNameCheck)&&(G.tagNameCheck=h.tagNameCheck),re(h,"attributeNameCheck")&&Cr(h.attributeNameCheck)&&(G.attributeNameCheck=h.attributeNameCheck),re(h,"allowCustomizedBuiltInElements")&&typeof h.allowCustomizedBuiltInElements=="boolean"&&(G.allowCustomizedBuiltInElements=h.allowCustomizedBuiltInElements),ae(G),Fe&&(_n=!1),Bt&&(at=!0),lt&&(H=P({},mi),W=gt(null),lt.html===!0&&(P(H,hi),P(W,gi)),lt.svg===!0&&(P(H,zn),P(W,jn),P(W,Yt)),lt.svgFilters===!0&&(P(H,Bn),P(W,jn),P(W,Yt)),lt.mathMl===!0&&(P(H,Fn),P(W,_i),P(W,Yt))),Be.tagCheck=null,Be.attributeCheck=null,re(c,"ADD_TAGS")&&(typeof c.ADD_TAGS=="function"?Be.tagCheck=c.ADD_TAGS:Ve(c.ADD_TAGS)&&(H===wr&&(H=de(H)),P(H,c.ADD_TAGS,j))),re(c,"ADD_ATTR")&&(typeof c.ADD_ATTR=="function"?Be.attributeCheck=c.ADD_ATTR:Ve(c.ADD_ATTR)&&(W===br&&(W=de(W)),P(W,c.ADD_ATTR,j))),re(c,"ADD_URI_SAFE_ATTR")&&Ve(c.ADD_URI_SAFE_ATTR)&&P(Sn,c.ADD_URI_SAFE_ATTR,j),re(c,"FORBID_CONTENTS")&&Ve(c.FORBID_CONTENTS)&&(Re===Tn&&(Re=de(Re)),P(Re,c.FORBID_CONTENTS,j)),re(c,"ADD_FORBID_CONTENTS")&&Ve(c.ADD_FORBID_CONTENTS)&&(Re===Tn&&(Re=de(Re)),P(Re,c.ADD_FORBID_CONTENTS,j)),xn&&(H["#text"]=!0),Je&&P(H,["html","head","body"]),H.table&&(P(H,["tbody"]),delete Tt.tbody),c.TRUSTED_TYPES_POLICY){if(typeof c.TRUSTED_TYPES_POLICY.createHTML!="function")throw Xe('TRUSTED_TYPES_POLICY configuration option must provide a "createHTML" hook.');if(typeof c.TRUSTED_TYPES_POLICY.createScriptURL!="function")throw Xe('TRUSTED_TYPES_POLICY configuration option must provide a "createScriptURL" hook.');const g=v;v=c.TRUSTED_TYPES_POLICY;try{le=Le("")}catch(k){throw v=g,k}}else c.TRUSTED_TYPES_POLICY===null?(v=void 0,le=""):(v===void 0&&(v=$()),v&&typeof le=="string"&&(le=Le("")));se&&se(c),ut=c},Dr=P({},[...zn,...Bn,...Aa]),Lr=P({},[...Fn,...Ta]),So=function(c,h,g){return h.namespaceURI===Ee?c==="svg":h.namespaceURI===jt?c==="svg"&&(g==="annotation-xml"||vn[g]):!!Dr[c]},Ro=function(c,h,g){return h.namespaceURI===Ee?c==="math":h.namespaceURI===qt?c==="math"&&In[g]:!!Lr[c]},Eo=function(c,h,g){return h.namespaceURI===qt&&!In[g]||h.namespaceURI===jt&&!vn[g]?!1:!Lr[c]&&(ko[c]||!Dr[c])},vo=function(c){let h=A(c);(!h||!h.tagName)&&(h={namespaceURI:ct,tagName:"template"});const g=Nt(c.tagName),k=Nt(h.tagName);return En[c.namespaceURI]?c.namespaceURI===qt?So(g,h,k):c.namespaceURI===jt?Ro(g,h,k):c.namespaceURI===Ee?Eo(g,h,k):!!(St==="application/xhtml+xml"&&En[c.namespaceURI]):!1},qe=function(c){pt(t.removed,{element:c});try{A(c).removeChild(c)}catch{if(b(c),!A(c))throw Xe("a node selected for removal could not be detached from its tree and cannot be safely returned; refusing to sanitize in place")}},Ht=function(c){Nn(c);const h=R(c);if(h){const k=[];dt(h,x=>{pt(k,x)}),dt(k,x=>{try{b(x)}catch{}})}const g=T(c);if(g)for(let k=g.length-1;k>=0;--k){const x=g[k],S=x&&x.name;if(typeof S=="string")try{c.removeAttribute(S)}catch{}}},Qe=function(c,h){try{pt(t.removed,{attribute:h.getAttributeNode(c),from:h})}catch{pt(t.removed,{attribute:null,from:h})}if(h.removeAttribute(c),c==="is")if(at||Bt)try{qe(h)}catch{}else try{h.setAttribute(c,"")}catch{}},Io=function(c){const h=T(c);if(h)for(let g=h.length-1;g>=0;--g){const k=h[g],x=k&&k.name;if(!(typeof x!="string"||W[j(x)]))try{c.removeAttribute(x)}catch{}}},Nn=function(c){const h=[c];for(;h.length>0;){const g=h.pop();(L?L(g):g.nodeType)===_e.element&&Io(g);const x=R(g);if(x)for(let S=x.length-1;S>=0;--S)h.push(x[S])}},$o=function(c){if(!je)return;const h=[c];for(;h.length>0;){const g=h.pop(),k=L?L(g):g.nodeType;if(k===_e.processingInstruction||k===_e.comment&&ne(bi,g.data)){try{b(g)}catch{}continue}if(k===_e.element){const S=g,V=j(I?I(g):g.nodeName);try{S.hasAttribute&&S.hasAttribute("patchsrc")&&S.removeAttribute("patchsrc"),S.hasAttribute&&S.hasAttribute("for")&&V!=="label"&&V!=="output"&&S.removeAttribute("for")}catch{}}const x=R(g);if(x)for(let S=x.length-1;S>=0;--S)h.push(x[S])}},Or=function(c){let h=null,g=null;if(kn)c="<remove></remove>"+c;else{const S=ui(c,/^[\r\n\t ]+/);g=S&&S[0]}St==="application/xhtml+xml"&&ct===Ee&&(c='<html xmlns="http://www.w3.org/1999/xhtml"><head></head><body>'+c+"</body></html>");const k=v?Le(c):c;if(ct===Ee)try{h=new p().parseFromString(k,St)}catch{}if(!h||!h.documentElement){h=E.createDocument(ct,"template",null);try{h.documentElement.innerHTML=Rn?le:k}catch{}}const x=h.body||h.documentElement;return c&&g&&x.insertBefore(n.createTextNode(g),x.childNodes[0]||null),ct===Ee?Z.call(h,Je?"html":"body")[0]:Je?h.documentElement:x},Mr=function(c){return D.call(c.ownerDocument||c,c,f.SHOW_ELEMENT|f.SHOW_COMMENT|f.SHOW_TEXT|f.SHOW_PROCESSING_INSTRUCTION|f.SHOW_CDATA_SECTION,null)},Wt=function(c){return c=vt(c,Ye," "),c=vt(c,st," "),c=vt(c,ze," "),c},Pn=function(c){var h;c.normalize();const g=D.call(c.ownerDocument||c,c,f.SHOW_TEXT|f.SHOW_COMMENT|f.SHOW_CDATA_SECTION|f.SHOW_PROCESSING_INSTRUCTION,null);let k=g.nextNode();for(;k;)k.data=Wt(k.data),k=g.nextNode();const x=(h=c.querySelectorAll)===null||h===void 0?void 0:h.call(c,"template");x&&dt(x,S=>{ft(S.content)&&Pn(S.content)})},Gt=function(c){const h=I?I(c):null;return typeof h!="string"||j(h)!=="form"?!1:typeof c.nodeName!="string"||typeof c.textContent!="string"||typeof c.removeChild!="function"||c.attributes!==T(c)||typeof c.removeAttribute!="function"||typeof c.setAttribute!="function"||typeof c.namespaceURI!="string"||typeof c.insertBefore!="function"||typeof c.hasChildNodes!="function"||c.nodeType!==L(c)||c.childNodes!==R(c)},ft=function(c){if(!L||typeof c!="object"||c===null)return!1;try{return L(c)===_e.documentFragment}catch{return!1}},Rt=function(c){if(!L||typeof c!="object"||c===null)return!1;try{return typeof L(c)=="number"}catch{return!1}};function ve(w,c,h){w.length!==0&&dt(w,g=>{g.call(t,c,h,ut)})}const No=function(c,h){return!!(je&&c.hasChildNodes()&&!Rt(c.firstElementChild)&&ne(wi,c.textContent)&&ne(wi,c.innerHTML)||je&&c.namespaceURI===Ee&&h==="style"&&Rt(c.firstElementChild)||c.nodeType===_e.processingInstruction||je&&c.nodeType===_e.comment&&ne(bi,c.data))},Po=function(c,h){if(!Tt[h]&&Br(h)&&(G.tagNameCheck instanceof RegExp&&ne(G.tagNameCheck,h)||G.tagNameCheck instanceof Function&&G.tagNameCheck(h)))return!1;if(xn&&!Re[h]){const g=A(c),k=R(c);if(k&&g){const x=k.length;for(let S=x-1;S>=0;--S){const V=An?k[S]:_(k[S],!0);g.insertBefore(V,N(c))}}}return qe(c),!0},Ur=function(c,h){if(ve(U.beforeSanitizeElements,c,null),c!==h&&A(c)===null)return!0;if(Gt(c))return qe(c),!0;const g=j(I?I(c):c.nodeName);if(ve(U.uponSanitizeElement,c,{tagName:g,allowedTags:H}),c!==h&&A(c)===null)return!0;if(No(c,g))return qe(c),!0;if(Tt[g]||!(Be.tagCheck instanceof Function&&Be.tagCheck(g))&&!H[g]){const x=Po(c,g);return x===!1&&ve(U.afterSanitizeElements,c,null),x}if((L?L(c):c.nodeType)===_e.element&&!vo(c)||(g==="noscript"||g==="noembed"||g==="noframes")&&ne(Da,c.innerHTML))return qe(c),!0;if(Fe&&c.nodeType===_e.text){const x=Wt(c.textContent);c.textContent!==x&&(pt(t.removed,{element:c.cloneNode()}),c.textContent=x)}return ve(U.afterSanitizeElements,c,null),!1},zr=function(c,h,g){if(kr[h]||je&&h==="patchsrc"||je&&h==="for"&&c!=="label"&&c!=="output"||Sr&&(h==="id"||h==="name")&&(g in n||g in To))return!1;const k=W[h]||Be.attributeCheck instanceof Function&&Be.attributeCheck(h,c);if(!(_n&&ne(te,h))){if(!(xr&&ne(ee,h))){if(k){if(!Sn[h]){if(!ne(yr,vt(g,zt,""))){if(!((h==="src"||h==="xlink:href"||h==="href")&&c!=="script"&&fi(g,"data:")===0&&vr[c])){if(!(Ar&&!ne(_r,vt(g,zt,"")))){if(g)return!1}}}}}else if(!(Br(c)&&(G.tagNameCheck instanceof RegExp&&ne(G.tagNameCheck,c)||G.tagNameCheck instanceof Function&&G.tagNameCheck(c))&&(G.attributeNameCheck instanceof RegExp&&ne(G.attributeNameCheck,h)||G.attributeNameCheck instanceof Function&&G.attributeNameCheck(h,c))||h==="is"&&G.allowCustomizedBuiltInElements&&(G.tagNameCheck instanceof RegExp&&ne(G.tagNameCheck,g)||G.tagNameCheck instanceof Function&&G.tagNameCheck(g))))return!1}}return!0},Co=P({},["annotation-xml","color-profile","font-face","font-face-format","font-face-name","font-face-src","font-face-uri","missing-glyph"]),Br=function(c){return!Co[Nt(c)]&&ne(wo,c)},Do=function(c,h,g,k){if(v&&typeof m=="object"&&typeof m.getAttributeType=="function"&&!g)switch(m.getAttributeType(c,h)){case"TrustedHTML":return Le(k);case"TrustedScriptURL":return Ut(k)}return k},Lo=function(c,h,g,k){try{g?c.setAttributeNS(g,h,k):c.setAttribute(h,k),Gt(c)?qe(c):ci(t.removed)}catch{Qe(h,c)}},Fr=function(c){ve(U.beforeSanitizeAttributes,c,null);const h=c.attributes;if(!h||Gt(c))return;const g={attrName:"",attrValue:"",keepAttr:!0,allowedAttributes:W,forceKeepAttr:void 0};let k=h.length;const x=j(c.nodeName);for(;k--;){const S=h[k],V=S.name,ce=S.namespaceURI,xe=S.value,pe=j(V),Ae=xe;let fe=V==="value"?Ae:ga(Ae);if(g.attrName=pe,g.attrValue=fe,g.keepAttr=!0,g.forceKeepAttr=void 0,ve(U.uponSanitizeAttribute,c,g),fe=g.attrValue,Rr&&(pe==="id"||pe==="name")&&fi(fe,Er)!==0&&(Qe(V,c),fe=Er+fe),je&&ne(/((--!?|])>)|<\/(style|script|title|xmp|textarea|noscript|iframe|noembed|noframes)/i,fe)){Qe(V,c);continue}if(pe==="attributename"&&ui(fe,"href")){Qe(V,c);continue}if(!g.forceKeepAttr){if(!g.keepAttr){Qe(V,c);continue}if(!Tr&&ne(La,fe)){Qe(V,c);continue}if(Fe&&(fe=Wt(fe)),!zr(x,pe,fe)){Qe(V,c);continue}fe=Do(x,pe,ce,fe),fe!==Ae&&Lo(c,V,ce,fe)}}ve(U.afterSanitizeAttributes,c,null)},Vt=function(c){let h=null;const g=Mr(c);for(ve(U.beforeSanitizeShadowDOM,c,null);h=g.nextNode();)if(ve(U.uponSanitizeShadowNode,h,null),Ur(h,c),Fr(h),ft(h.content)&&Vt(h.content),(L?L(h):h.nodeType)===_e.element){const x=y(h);ft(x)&&(Cn(x),Vt(x))}ve(U.afterSanitizeShadowDOM,c,null)},Cn=function(c){const h=[{node:c,shadow:null}];for(;h.length>0;){const g=h.pop();if(g.shadow){Vt(g.shadow);continue}const k=g.node,S=(L?L(k):k.nodeType)===_e.element,V=R(k);if(V)for(let ce=V.length-1;ce>=0;--ce)h.push({node:V[ce],shadow:null});if(S){const ce=I?I(k):null;if(typeof ce=="string"&&j(ce)==="template"){const xe=k.content;ft(xe)&&h.push({node:xe,shadow:null})}}if(S){const ce=y(k);ft(ce)&&h.push({node:null,shadow:ce},{node:ce,shadow:null})}}};return t.sanitize=function(w){let c=arguments.length>1&&arguments[1]!==void 0?arguments[1]:{},h=null,g=null,k=null,x=null;if(Rn=!w,Rn&&(w="<!-->"),typeof w!="string"&&!Rt(w)&&(w=ka(w),typeof w!="string"))throw Xe("dirty is not a string, aborting");if(!t.isSupported)return w;yn?(H=wn,W=bn):$n(c),(U.uponSanitizeElement.length>0||U.uponSanitizeAttribute.length>0)&&(H=de(H)),U.uponSanitizeAttribute.length>0&&(W=de(W)),t.removed=[];const S=An&&typeof w!="string"&&Rt(w);if(S){$o(w);const pe=I?I(w):w.nodeName;if(typeof pe=="string"){const Ae=j(pe);if(!H[Ae]||Tt[Ae])throw Ht(w),Xe("root node is forbidden and cannot be sanitized in-place")}if(Gt(w))throw Ht(w),Xe("root node is clobbered and cannot be sanitized in-place");try{Cn(w)}catch(Ae){throw Ht(w),Ae}}else if(Rt(w))h=Or("<!---->"),g=h.ownerDocument.importNode(w,!0),g.nodeType===_e.element&&g.nodeName==="BODY"||g.nodeName==="HTML"?h=g:h.appendChild(g),Cn(g);else{if(!at&&!Fe&&!Je&&w.indexOf("<")===-1)return v&&Ft?Le(w):w;if(h=Or(w),!h)return at?null:Ft?le:""}h&&kn&&qe(h.firstChild);const V=S?w:h,ce=Mr(V);try{for(;k=ce.nextNode();)Ur(k,V),Fr(k),ft(k.content)&&Vt(k.content)}catch(pe){throw S&&(Ht(w),dt(t.removed,Ae=>{Ae.element&&Nn(Ae.element)})),pe}if(S)return dt(t.removed,pe=>{pe.element&&Nn(pe.element)}),Fe&&Pn(w),w;if(at){if(Fe&&Pn(h),Bt)for(x=F.call(h.ownerDocument);h.firstChild;)x.appendChild(h.firstChild);else x=h;return(W.shadowroot||W.shadowrootmode)&&(x=O.call(r,x,!0)),x}let xe=Je?h.outerHTML:h.innerHTML;return Je&&H["!doctype"]&&h.ownerDocument&&h.ownerDocument.doctype&&h.ownerDocument.doctype.name&&ne(Pa,h.ownerDocument.doctype.name)&&(xe="<!DOCTYPE "+h.ownerDocument.doctype.name+`>
`+xe),Fe&&(xe=Wt(xe)),v&&Ft?Le(xe):xe},t.setConfig=function(){let w=arguments.length>0&&arguments[0]!==void 0?arguments[0]:{};$n(w),yn=!0,wn=H,bn=W},t.clearConfig=function(){ut=null,yn=!1,wn=null,bn=null,v=oe,le=""},t.isValidAttribute=function(w,c,h){ut||$n({});const g=j(w),k=j(c);return zr(g,k,h)},t.addHook=function(w,c){typeof c=="function"&&re(U,w)&&pt(U[w],c)},t.removeHook=function(w,c){if(re(U,w)){if(c!==void 0){const h=ha(U[w],c);return h===-1?void 0:ma(U[w],h,1)[0]}return ci(U[w])}},t.removeHooks=function(w){re(U,w)&&(U[w]=[])},t.removeAllHooks=function(){U=ki()},t}var oo=io();function ar(){return{async:!1,breaks:!1,extensions:null,gfm:!0,hooks:null,pedantic:!1,renderer:null,silent:!1,tokenizer:null,walkTokens:null}}var ot=ar();function so(e){ot=e}var et={exec:()=>null};function ht(e){let t=[];return n=>{let r=Math.max(0,Math.min(3,n-1)),i=t[r];return i||(i=e(r),t[r]=i),i}}function C(e,t=""){let n=typeof e=="string"?e:e.source,r={replace:(i,o)=>{let a=typeof o=="string"?o:o.source;return a=a.replace(ue.caret,"$1"),n=n.replace(i,a),r},getRegex:()=>new RegExp(n,t)};return r}var Ua=((e="")=>{try{return!!new RegExp("(?<=1)(?<!1)"+e)}catch{return!1}})(),ue={codeRemoveIndent:/^(?: {1,4}| {0,3}\t)/gm,outputLinkReplace:/\\([\[\]])/g,indentCodeCompensation:/^(\s+)(?:```)/,beginningSpace:/^\s+/,endingHash:/#$/,startingSpaceChar:/^ /,endingSpaceChar:/ $/,nonSpaceChar:/[^ ]/,newLineCharGlobal:/\n/g,tabCharGlobal:/\t/g,multipleSpaceGlobal:/\s+/g,blankLine:/^[ \t]*$/,doubleBlankLine:/\n[ \t]*\n[ \t]*$/,blockquoteStart:/^ {0,3}>/,blockquoteSetextReplace:/\n {0,3}((?:=+|-+) *)(?=\n|$)/g,blockquoteSetextReplace2:/^ {0,3}>[ \t]?/gm,listReplaceNesting:/^ {1,4}(?=( {4})*[^ ])/g,listIsTask:/^\[[ xX]\] +\S/,listReplaceTask:/^\[[ xX]\] +/,listTaskCheckbox:/\[[ xX]\]/,anyLine:/\n.*\n/,hrefBrackets:/^<(.*)>$/,tableDelimiter:/[:|]/,tableAlignChars:/^\||\| *$/g,tableRowBlankLine:/\n[ \t]*$/,tableAlignRight:/^ *-+: *$/,tableAlignCenter:/^ *:-+: *$/,tableAlignLeft:/^ *:-+ *$/,startATag:/^<a /i,endATag:/^<\/a>/i,startPreScriptTag:/^<(pre|code|kbd|script)(\s|>)/i,endPreScriptTag:/^<\/(pre|code|kbd|script)(\s|>)/i,startAngleBracket:/^</,endAngleBracket:/>$/,pedanticHrefTitle:/^([^'"]*[^\s])\s+(['"])(.*)\2/,unicodeAlphaNumeric:/[\p{L}\p{N}]/u,escapeTest:/[&<>"']/,escapeReplace:/[&<>"']/g,escapeTestNoEncode:/[<>"']|&(?!(#\d{1,7}|#[Xx][a-fA-F0-9]{1,6}|\w+);)/,escapeReplaceNoEncode:/[<>"']|&(?!(#\d{1,7}|#[Xx][a-fA-F0-9]{1,6}|\w+);)/g,caret:/(^|[^\[])\^/g,percentDecode:/%25/g,findPipe:/\|/g,splitPipe:/ \|/,slashPipe:/\\\|/g,carriageReturn:/\r\n|\r/g,spaceLine:/^ +$/gm,notSpaceStart:/^\S*/,endingNewline:/\n$/,listItemRegex:e=>new RegExp(`^( {0,3}${e})((?:[	 ][^\\n]*)?(?:\\n|$))`),nextBulletRegex:ht(e=>new RegExp(`^ {0,${e}}(?:[*+-]|\\d{1,9}[.)])((?:[ 	][^\\n]*)?(?:\\n|$))`)),hrRegex:ht(e=>new RegExp(`^ {0,${e}}((?:- *){3,}|(?:_ *){3,}|(?:\\* *){3,})(?:\\n+|$)`)),fencesBeginRegex:ht(e=>new RegExp(`^ {0,${e}}(?:\`\`\`|~~~)`)),headingBeginRegex:ht(e=>new RegExp(`^ {0,${e}}#`)),htmlBeginRegex:ht(e=>new RegExp(`^ {0,${e}}<(?:[a-z].*>|!--)`,"i")),blockquoteBeginRegex:ht(e=>new RegExp(`^ {0,${e}}>`))},za=/^(?:[ \t]*(?:\n|$))+/,Ba=/^((?: {4}| {0,3}\t)[^\n]+(?:\n(?:[ \t]*(?:\n|$))*)?)+/,Fa=/^ {0,3}(`{3,}(?=[^`\n]*(?:\n|$))|~{3,})([^\n]*)(?:\n|$)(?:|([\s\S]*?)(?:\n|$))(?: {0,3}\1[~`]* *(?=\n|$)|$)/,Ot=/^ {0,3}((?:-[\t ]*){3,}|(?:_[ \t]*){3,}|(?:\*[ \t]*){3,})(?:\n+|$)/,ja=/^ {0,3}(#{1,6})(?=\s|$)(.*)(?:\n+|$)/,lr=/ {0,3}(?:[*+-]|\d{1,9}[.)])/,ao=/^(?!bull |blockCode|fences|blockquote|heading|html|table)((?:.|\n(?!\s*?\n|bull |blockCode|fences|blockquote|heading|html|table))+?)\n {0,3}(=+|-+) *(?:\n+|$)/,lo=C(ao).replace(/bull/g,lr).replace(/blockCode/g,/(?: {4}| {0,3}\t)/).replace(/fences/g,/ {0,3}(?:`{3,}|~{3,})/).replace(/blockquote/g,/ {0,3}>/).replace(/heading/g,/ {0,3}#{1,6}(?:\s|$)/).replace(/html/g,/ {0,3}<[^\n>]+>\n/).replace(/\|table/g,"").getRegex(),qa=C(ao).replace(/bull/g,lr).replace(/blockCode/g,/(?: {4}| {0,3}\t)/).replace(/fences/g,/ {0,3}(?:`{3,}|~{3,})/).replace(/blockquote/g,/ {0,3}>/).replace(/heading/g,/ {0,3}#{1,6}(?:\s|$)/).replace(/html/g,/ {0,3}<[^\n>]+>\n/).replace(/table/g,/ {0,3}\|?(?:[:\- ]*\|)+[\:\- ]*\n/).getRegex(),cr=/^([^\n]+(?:\n(?!hr|heading|lheading|blockquote|fences|list|html|table|[ \t]+\n)[^\n]+)*)/,Ha=/^[^\n]+/,ur=/(?!\s*\])(?:\\[\s\S]|[^\[\]\\])+/,Wa=C(/^ {0,3}\[(label)\]: *(?:\n[ \t]*)?([^<\s][^\s]*|<.*?>)(?:(?: +(?:\n[ \t]*)?| *\n[ \t]*)(title))? *(?:\n+|$)/).replace("label",ur).replace("title",/(?:"(?:\\"?|[^"\\])*"|'[^'\n]*(?:\n[^'\n]+)*\n?'|\([^()]*\))/).getRegex(),Ga=C(/^(bull)([ \t][^\n]*?)?(?:\n|$)/).replace(/bull/g,lr).getRegex(),mn="address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h[1-6]|head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|meta|nav|noframes|ol|optgroup|option|p|param|search|section|summary|table|tbody|td|tfoot|th|thead|title|tr|track|ul",fr=/<!--(?:-?>|[\s\S]*?(?:-->|$))/,Va=C("^ {0,3}(?:<(script|pre|style|textarea)[\\s>][\\s\\S]*?(?:</\\1>[^\\n]*\\n*|$)|comment[^\\n]*(\\n+|$)|<\\?[\\s\\S]*?(?:\\?>[^\\n]*\\n*|$)|<![A-Z][\\s\\S]*?(?:>[^\\n]*\\n*|$)|<!\\[CDATA\\[[\\s\\S]*?(?:\\]\\]>[^\\n]*\\n*|$)|</?(tag)(?: +|\\n|/?>)[\\s\\S]*?(?:(?:\\n[ 	]*)+\\n|$)|<(?!script|pre|style|textarea)([a-z][\\w-]*)(?:attribute)*? */?>(?=[ \\t]*(?:\\n|$))[\\s\\S]*?(?:(?:\\n[ 	]*)+\\n|$)|</(?!script|pre|style|textarea)[a-z][\\w-]*\\s*>(?=[ \\t]*(?:\\n|$))[\\s\\S]*?(?:(?:\\n[ 	]*)+\\n|$))","i").replace("comment",fr).replace("tag",mn).replace("attribute",/ +[a-zA-Z:_][\w.:-]*(?: *= *"[^"\n]*"| *= *'[^'\n]*'| *= *[^\s"'=<>`]+)?/).getRegex(),co=e=>C(cr).replace("hr",Ot).replace("heading"," {0,3}#{1,6}(?:\\s|$)").replace("|lheading","").replace("|table","").replace("blockquote"," {0,3}>").replace("fences"," {0,3}(?:`{3,}(?=[^`\\n]*\\n)|~~~)[^\\n]*\\n").replace("list",e).replace("html","</?(?:tag)(?: +|\\n|/?>)|<(?:script|pre|style|textarea|!--)").replace("tag",mn).getRegex(),Ka=co(/ {0,3}(?:[*+-]|1[.)])[ \t]+[^ \t\n]/),Ya=co(/ {0,3}(?:[*+-]|\d{1,9}[.)])(?:[ \t]|\n|$)/),Ja=C(/^( {0,3}> ?(paragraph|[^\n]*)(?:\n|$))+/).replace("paragraph",Ya).getRegex(),dr={blockquote:Ja,code:Ba,def:Wa,fences:Fa,heading:ja,hr:Ot,html:Va,lheading:lo,list:Ga,newline:za,paragraph:Ka,table:et,text:Ha},xi=C("^ *([^\\n ].*)\\n {0,3}((?:\\| *)?:?-+:? *(?:\\| *:?-+:? *)*(?:\\| *)?)(?:\\n((?:(?! *\\n|hr|heading|blockquote|code|fences|list|html).*(?:\\n|$))*)\\n*|$)").replace("hr",Ot).replace("heading"," {0,3}#{1,6}(?:\\s|$)").replace("blockquote"," {0,3}>").replace("code","(?: {4}| {0,3}	)[^\\n]").replace("fences"," {0,3}(?:`{3,}(?=[^`\\n]*\\n)|~~~)[^\\n]*\\n").replace("list"," {0,3}(?:[*+-]|1[.)])[ \\t]").replace("html","</?(?:tag)(?: +|\\n|/?>)|<(?:script|pre|style|textarea|!--)").replace("tag",mn).getRegex(),Qa={...dr,lheading:qa,table:xi,paragraph:C(cr).replace("hr",Ot).replace("heading"," {0,3}#{1,6}(?:\\s|$)").replace("|lheading","").replace("table",xi).replace("blockquote"," {0,3}>").replace("fences"," {0,3}(?:`{3,}(?=[^`\\n]*\\n)|~~~)[^\\n]*\\n").replace("list"," {0,3}(?:[*+-]|1[.)])[ \\t]+[^ \\t\\n]").replace("html","</?(?:tag)(?: +|\\n|/?>)|<(?:script|pre|style|textarea|!--)").replace("tag",mn).getRegex()},Xa={...dr,html:C(`^ *(?:comment *(?:\\n|\\s*$)|<(tag)[\\s\\S]+?</\\1> *(?:\\n{2,}|\\s*$)|<tag(?:"[^"]*"|'[^']*'|\\s[^'"/>\\s]*)*?/?> *(?:\\n{2,}|\\s*$))`).replace("comment",fr).replace(/tag/g,"(?!(?:a|em|strong|small|s|cite|q|dfn|abbr|data|time|code|var|samp|kbd|sub|sup|i|b|u|mark|ruby|rt|rp|bdi|bdo|span|br|wbr|ins|del|img)\\b)\\w+(?!:|[^\\w\\s@]*@)\\b").getRegex(),def:/^ *\[([^\]]+)\]: *<?([^\s>]+)>?(?: +(["(][^\n]+[")]))? *(?:\n+|$)/,heading:/^(#{1,6})(.*)(?:\n+|$)/,fences:et,lheading:/^(.+?)\n {0,3}(=+|-+) *(?:\n+|$)/,paragraph:C(cr).replace("hr",Ot).replace("heading",` *#{1,6} *[^
]`).replace("lheading",lo).replace("|table","").replace("blockquote"," {0,3}>").replace("|fences","").replace("|list","").replace("|html","").replace("|tag","").getRegex()},Za=/^\\([!"#$%&'()*+,\-./:;<=>?@\[\]\\^_`{|}~])/,el=/^(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/,uo=/^( {2,}|\\)\n(?!\s*$)/,tl=/^(`+|[^`])(?:(?= {2,}\n)|[\s\S]*?(?:(?=[\\<!\[`*_]|\b_|$)|[^ ](?= {2,}\n)))/,At=/[\p{P}\p{S}]/u,gn=/[\s\p{P}\p{S}]/u,pr=/[^\s\p{P}\p{S}]/u,nl=C(/^((?![*_])punctSpace)/,"u").replace(/punctSpace/g,gn).getRegex(),fo=/(?!~)[\p{P}\p{S}]/u,rl=/(?!~)[\s\p{P}\p{S}]/u,il=/(?:[^\s\p{P}\p{S}]|~)/u,ol=C(/link|precode-code|html/,"g").replace("link",/\[(?:[^\[\]`]|(?<a>`+)[^`]+\k<a>(?!`))*?\]\((?:\\[\s\S]|[^\\\(\)]|\((?:\\[\s\S]|[^\\\(\)])*\))*\)/).replace("precode-",Ua?"(?<!`)()":"(^^|[^`])").replace("code",/(?<b>`+)[^`]+\k<b>(?!`)/).replace("html",/<(?! )[^<>]*?>/).getRegex(),po=/^(?:\*+(?:((?!\*)punct)|([^\s*]))?)|^_+(?:((?!_)punct)|([^\s_]))?/,sl=C(po,"u").replace(/punct/g,At).getRegex(),al=C(po,"u").replace(/punct/g,fo).getRegex(),ho="^[^_*]*?__[^_*]*?\\*[^_*]*?(?=__)|[^*]+(?=[^*])|(?!\\*)punct(\\*+)(?=[\\s]|$)|notPunctSpace(\\*+)(?!\\*)(?=punctSpace|$)|(?!\\*)punctSpace(\\*+)(?=notPunctSpace)|[\\s](\\*+)(?!\\*)(?=punct)|(?!\\*)punct(\\*+)(?!\\*)(?=punct)|notPunctSpace(\\*+)(?=notPunctSpace)",ll=C(ho,"gu").replace(/notPunctSpace/g,pr).replace(/punctSpace/g,gn).replace(/punct/g,At).getRegex(),cl=C(ho,"gu").replace(/notPunctSpace/g,il).replace(/punctSpace/g,rl).replace(/punct/g,fo).getRegex(),ul=C("^[^_*]*?\\*\\*[^_*]*?_[^_*]*?(?=\\*\\*)|[^_]+(?=[^_])|(?!_)punct(_+)(?=[\\s]|$)|notPunctSpace(_+)(?!_)(?=punctSpace|$)|(?!_)punctSpace(_+)(?=notPunctSpace)|[\\s](_+)(?!_)(?=punct)|(?!_)punct(_+)(?!_)(?=punct)","gu").replace(/notPunctSpace/g,pr).replace(/punctSpace/g,gn).replace(/punct/g,At).getRegex(),fl=C(/^~~?(?:((?!~)punct)|[^\s~])/,"u").replace(/punct/g,At).getRegex(),dl="^[^~]+(?=[^~])|(?!~)punct(~~?)(?=[\\s]|$)|notPunctSpace(~~?)(?!~)(?=punctSpace|$)|(?!~)punctSpace(~~?)(?=notPunctSpace)|[\\s](~~?)(?!~)(?=punct)|(?!~)punct(~~?)(?!~)(?=punct)|notPunctSpace(~~?)(?=notPunctSpace)",pl=C(dl,"gu").replace(/notPunctSpace/g,pr).replace(/punctSpace/g,gn).replace(/punct/g,At).getRegex(),hl=C(/\\(punct)/,"gu").replace(/punct/g,At).getRegex(),ml=C(/^<(scheme:[^\s\x00-\x1f<>]*|email)>/).replace("scheme",/[a-zA-Z][a-zA-Z0-9+.-]{1,31}/).replace("email",/[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+(@)[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+(?![-_])/).getRegex(),gl=C(fr).replace("(?:-->|$)","-->").getRegex(),_l=C("^comment|^</[a-zA-Z][\\w:-]*\\s*>|^<[a-zA-Z][\\w-]*(?:attribute)*?\\s*/?>|^<\\?[\\s\\S]*?\\?>|^<![a-zA-Z]+\\s[\\s\\S]*?>|^<!\\[CDATA\\[[\\s\\S]*?\\]\\]>").replace("comment",gl).replace("attribute",/\s+[a-zA-Z:_][\w.:-]*(?:\s*=\s*"[^"]*"|\s*=\s*'[^']*'|\s*=\s*[^\s"'=<>`]+)?/).getRegex(),ln=/(?:\[(?:\\[\s\S]|[^\[\]\\])*\]|\\[\s\S]|`+(?!`)[^`]*?`+(?!`)|``+(?=\])|[^\[\]\\`])*?/,yl=C(/^!?\[(label)\]\(\s*(href)(?:(?:[ \t]+(?:\n[ \t]*)?|\n[ \t]*)(title))?\s*\)/).replace("label",ln).replace("href",/<(?:\\.|[^\n<>\\])+>|[^ \t\n\x00-\x1f]+|(?=\))/).replace("title",/"(?:\\"?|[^"\\])*"|'(?:\\'?|[^'\\])*'|\((?:\\\)?|[^)\\])*\)/).getRegex(),mo=C(/^!?\[(label)\]\[(ref)\]/).replace("label",ln).replace("ref",ur).getRegex(),go=C(/^!?\[(ref)\](?:\[\])?/).replace("ref",ur).getRegex(),wl=C("reflink|nolink(?!\\()","g").replace("reflink",mo).replace("nolink",go).getRegex(),Ai=/[hH][tT][tT][pP][sS]?|[fF][tT][pP]/,hr={_backpedal:et,anyPunctuation:hl,autolink:ml,blockSkip:ol,br:uo,code:el,del:et,delLDelim:et,delRDelim:et,emStrongLDelim:sl,emStrongRDelimAst:ll,emStrongRDelimUnd:ul,escape:Za,link:yl,nolink:go,punctuation:nl,reflink:mo,reflinkSearch:wl,tag:_l,text:tl,url:et},bl={...hr,link:C(/^!?\[(label)\]\((.*?)\)/).replace("label",ln).getRegex(),reflink:C(/^!?\[(label)\]\s*\[([^\]]*)\]/).replace("label",ln).getRegex()},Qn={...hr,emStrongRDelimAst:cl,emStrongLDelim:al,delLDelim:fl,delRDelim:pl,url:C(/^((?:protocol):\/\/|www\.)(?:[a-zA-Z0-9\-]+\.?)+[^\s<]*|^email/).replace("protocol",Ai).replace("email",/[A-Za-z0-9._+-]+(@)[a-zA-Z0-9-_]+(?:\.[a-zA-Z0-9-_]*[a-zA-Z0-9])+(?![-_])/).getRegex(),_backpedal:/(?:[^?!.,:;*_'"~()&]+|\([^)]*\)|&(?![a-zA-Z0-9]+;$)|[?!.,:;*_'"~)]+(?!$))+/,del:/^(~~?)(?=[^\s~])((?:\\[\s\S]|[^\\])*?(?:\\[\s\S]|[^\s~\\]))\1(?=[^~]|$)/,text:C(/^(`+|~+|[^`~])(?:(?=[`~])|(?= {2,}\n)|(?=[a-zA-Z0-9.!#$%&'*+\/=?_`{\|}~-]+@)|[\s\S]*?(?:(?=[\\<!\[`*~_]|\b_|protocol:\/\/|www\.|$)|[^ ](?= {2,}\n)|[^a-zA-Z0-9.!#$%&'*+\/=?_`{\|}~-](?=[a-zA-Z0-9.!#$%&'*+\/=?_`{\|}~-]+@)))/).replace("protocol",Ai).getRegex()},kl={...Qn,br:C(uo).replace("{2,}","*").getRegex(),text:C(Qn.text).replace("\\b_","\\b_| {2,}\\n").replace(/\{2,\}/g,"*").getRegex()},Jt={normal:dr,gfm:Qa,pedantic:Xa},$t={normal:hr,gfm:Qn,breaks:kl,pedantic:bl},xl={"&":"&amp;","<":"&lt;",">":"&gt;",'"':"&quot;","'":"&#39;"},Ti=e=>xl[e];function $e(e,t){if(t){if(ue.escapeTest.test(e))return e.replace(ue.escapeReplace,Ti)}else if(ue.escapeTestNoEncode.test(e))return e.replace(ue.escapeReplaceNoEncode,Ti);return e}function Si(e){try{e=encodeURI(e).replace(ue.percentDecode,"%")}catch{return null}return e}function Ri(e,t){let n=e.replace(ue.findPipe,(o,a,l)=>{let f=!1,u=a;for(;--u>=0&&l[u]==="\\";)f=!f;return f?"|":" |"}),r=n.split(ue.splitPipe),i=0;if(r[0].trim()||r.shift(),r.length>0&&!r.at(-1)?.trim()&&r.pop(),t)if(r.length>t)r.splice(t);else for(;r.length<t;)r.push("");for(;i<r.length;i++)r[i]=r[i].trim().replace(ue.slashPipe,"|");return r}function We(e,t,n){let r=e.length;if(r===0)return"";let i=0;for(;i<r&&e.charAt(r-i-1)===t;)i++;return e.slice(0,r-i)}function Ei(e){let t=e.split(`
`),n=t.length-1;for(;n>=0&&ue.blankLine.test(t[n]);)n--;return t.length-n<=2?e:t.slice(0,n+1).join(`
`)}function Al(e,t){if(e.indexOf(t[1])===-1)return-1;let n=0;for(let r=0;r<e.length;r++)if(e[r]==="\\")r++;else if(e[r]===t[0])n++;else if(e[r]===t[1]&&(n--,n<0))return r;return n>0?-2:-1}function Tl(e,t=0){let n=t,r="";for(let i of e)if(i==="	"){let o=4-n%4;r+=" ".repeat(o),n+=o}else r+=i,n++;return r}function vi(e,t,n,r,i){let o=t.href,a=t.title||null,l=e[1].replace(i.other.outputLinkReplace,"$1");r.state.inLink=!0;let f={type:e[0].charAt(0)==="!"?"image":"link",raw:n,href:o,title:a,text:l,tokens:r.inlineTokens(l)};return r.state.inLink=!1,f}function Sl(e,t,n){let r=e.match(n.other.indentCodeCompensation);if(r===null)return t;let i=r[1];return t.split(`
`).map(o=>{let a=o.match(n.other.beginningSpace);if(a===null)return o;let[l]=a;return l.length>=i.length?o.slice(i.length):o}).join(`
`)}var cn=class{options;rules;lexer;constructor(e){this.options=e||ot}space(e){let t=this.rules.block.newline.exec(e);if(t&&t[0].length>0)return{type:"space",raw:t[0]}}code(e){let t=this.rules.block.code.exec(e);if(t){let n=this.options.pedantic?t[0]:Ei(t[0]),r=n.replace(this.rules.other.codeRemoveIndent,"");return{type:"code",raw:n,codeBlockStyle:"indented",text:r}}}fences(e){let t=this.rules.block.fences.exec(e);if(t){let n=t[0],r=Sl(n,t[3]||"",this.rules);return{type:"code",raw:n,lang:t[2]?t[2].trim().replace(this.rules.inline.anyPunctuation,"$1"):t[2],text:r}}}heading(e){let t=this.rules.block.heading.exec(e);if(t){let n=t[2].trim();if(this.rules.other.endingHash.test(n)){let r=We(n,"#");(this.options.pedantic||!r||this.rules.other.endingSpaceChar.test(r))&&(n=r.trim())}return{type:"heading",raw:We(t[0],`
`),depth:t[1].length,text:n,tokens:this.lexer.inline(n)}}}hr(e){let t=this.rules.block.hr.exec(e);if(t)return{type:"hr",raw:We(t[0],`
`)}}blockquote(e){let t=this.rules.block.blockquote.exec(e);if(t){let n=We(t[0],`
`).split(`
`),r="",i="",o=[];for(;n.length>0;){let a=!1,l=[],f;for(f=0;f<n.length;f++)if(this.rules.other.blockquoteStart.test(n[f]))l.push(n[f]),a=!0;else if(!a)l.push(n[f]);else break;n=n.slice(f);let u=l.join(`
`),p=u.replace(this.rules.other.blockquoteSetextReplace,`
    $1`).replace(this.rules.other.blockquoteSetextReplace2,"");r=r?`${r}
${u}`:u,i=i?`${i}
${p}`:p;let m=this.lexer.state.top;if(this.lexer.state.top=!0,this.lexer.blockTokens(p,o,!0),this.lexer.state.top=m,n.length===0)break;let d=o.at(-1);if(d?.type==="code")break;if(d?.type==="blockquote"){let _=d,b=_.raw+`
`+n.join(`
`),N=this.blockquote(b);o[o.length-1]=N,r=r.substring(0,r.length-_.raw.length)+N.raw,i=i.substring(0,i.length-_.text.length)+N.text;break}else if(d?.type==="list"){let _=d,b=_.raw+`
`+n.join(`
`),N=this.list(b);o[o.length-1]=N,r=r.substring(0,r.length-d.raw.length)+N.raw,i=i.substring(0,i.length-_.raw.length)+N.raw,n=b.substring(o.at(-1).raw.length).split(`
`);continue}}return{type:"blockquote",raw:r,tokens:o,text:i}}}list(e){let t=this.rules.block.list.exec(e);if(t){let n=t[1].trim(),r=n.length>1,i={type:"list",raw:"",ordered:r,start:r?+n.slice(0,-1):"",loose:!1,items:[]};n=r?`\\d{1,9}\\${n.slice(-1)}`:`\\${n}`,this.options.pedantic&&(n=r?n:"[*+-]");let o=this.rules.other.listItemRegex(n),a=!1;for(;e;){let f=!1,u="",p="";if(!(t=o.exec(e))||this.rules.block.hr.test(e))break;u=t[0],e=e.substring(u.length);let m=Tl(t[2].split(`
`,1)[0],t[1].length),d=e.split(`
`,1)[0],_=!m.trim(),b=0;if(this.options.pedantic?(b=2,p=m.trimStart()):_?b=t[1].length+1:(b=m.search(this.rules.other.nonSpaceChar),b=b>4?1:b,p=m.slice(b),b+=t[1].length),_&&this.rules.other.blankLine.test(d)&&(u+=d+`
`,e=e.substring(d.length+1),f=!0),!f){let N=this.rules.other.nextBulletRegex(b),R=this.rules.other.hrRegex(b),A=this.rules.other.fencesBeginRegex(b),y=this.rules.other.headingBeginRegex(b),T=this.rules.other.htmlBeginRegex(b),L=this.rules.other.blockquoteBeginRegex(b);for(;e;){let I=e.split(`
`,1)[0],v;if(d=I,this.options.pedantic?(d=d.replace(this.rules.other.listReplaceNesting,"  "),v=d):v=d.replace(this.rules.other.tabCharGlobal,"    "),A.test(d)||y.test(d)||T.test(d)||L.test(d)||N.test(d)||R.test(d))break;if(v.search(this.rules.other.nonSpaceChar)>=b||!d.trim())p+=`
`+v.slice(b);else{if(_||m.replace(this.rules.other.tabCharGlobal,"    ").search(this.rules.other.nonSpaceChar)>=4||A.test(m)||y.test(m)||R.test(m))break;p+=`
`+d}_=!d.trim(),u+=I+`
`,e=e.substring(I.length+1),m=v.slice(b)}}i.loose||(a?i.loose=!0:this.rules.other.doubleBlankLine.test(u)&&(a=!0)),i.items.push({type:"list_item",raw:u,task:!!this.options.gfm&&this.rules.other.listIsTask.test(p),loose:!1,text:p,tokens:[]}),i.raw+=u}let l=i.items.at(-1);if(l)l.raw=l.raw.trimEnd(),l.text=l.text.trimEnd();else return;i.raw=i.raw.trimEnd();for(let f of i.items){this.lexer.state.top=!1,f.tokens=this.lexer.blockTokens(f.text,[]);let u=f.tokens[0];if(f.task&&(u?.type==="text"||u?.type==="paragraph")){f.text=f.text.replace(this.rules.other.listReplaceTask,""),u.raw=u.raw.replace(this.rules.other.listReplaceTask,""),u.text=u.text.replace(this.rules.other.listReplaceTask,"");for(let m=this.lexer.inlineQueue.length-1;m>=0;m--)if(this.rules.other.listIsTask.test(this.lexer.inlineQueue[m].src)){this.lexer.inlineQueue[m].src=this.lexer.inlineQueue[m].src.replace(this.rules.other.listReplaceTask,"");break}let p=this.rules.other.listTaskCheckbox.exec(f.raw);if(p){let m={type:"checkbox",raw:p[0]+" ",checked:p[0]!=="[ ]"};f.checked=m.checked,i.loose?f.tokens[0]&&["paragraph","text"].includes(f.tokens[0].type)&&"tokens"in f.tokens[0]&&f.tokens[0].tokens?(f.tokens[0].raw=m.raw+f.tokens[0].raw,f.tokens[0].text=m.raw+f.tokens[0].text,f.tokens[0].tokens.unshift(m)):f.tokens.unshift({type:"paragraph",raw:m.raw,text:m.raw,tokens:[m]}):f.tokens.unshift(m)}}else f.task&&(f.task=!1);if(!i.loose){let p=f.tokens.filter(d=>d.type==="space"),m=p.length>0&&p.some(d=>this.rules.other.anyLine.test(d.raw));i.loose=m}}if(i.loose)for(let f of i.items){f.loose=!0;for(let u of f.tokens)u.type==="text"&&(u.type="paragraph")}return i}}html(e){let t=this.rules.block.html.exec(e);if(t){let n=Ei(t[0]);return{type:"html",block:!0,raw:n,pre:t[1]==="pre"||t[1]==="script"||t[1]==="style",text:n}}}def(e){let t=this.rules.block.def.exec(e);if(t){let n=t[1].toLowerCase().replace(this.rules.other.multipleSpaceGlobal," "),r=t[2]?t[2].replace(this.rules.other.hrefBrackets,"$1").replace(this.rules.inline.anyPunctuation,"$1"):"",i=t[3]?t[3].substring(1,t[3].length-1).replace(this.rules.inline.anyPunctuation,"$1"):t[3];return{type:"def",tag:n,raw:We(t[0],`
`),href:r,title:i}}}table(e){let t=this.rules.block.table.exec(e);if(!t||!this.rules.other.tableDelimiter.test(t[2]))return;let n=Ri(t[1]),r=t[2].replace(this.rules.other.tableAlignChars,"").split("|"),i=t[3]?.trim()?t[3].replace(this.rules.other.tableRowBlankLine,"").split(`
`):[],o={type:"table",raw:We(t[0],`
`),header:[],align:[],rows:[]};if(n.length===r.length){for(let a of r)this.rules.other.tableAlignRight.test(a)?o.align.push("right"):this.rules.other.tableAlignCenter.test(a)?o.align.push("center"):this.rules.other.tableAlignLeft.test(a)?o.align.push("left"):o.align.push(null);for(let a=0;a<n.length;a++)o.header.push({text:n[a],tokens:this.lexer.inline(n[a]),header:!0,align:o.align[a]});for(let a of i)o.rows.push(Ri(a,o.header.length).map((l,f)=>({text:l,tokens:this.lexer.inline(l),header:!1,align:o.align[f]})));return o}}lheading(e){let t=this.rules.block.lheading.exec(e);if(t){let n=t[1].trim();return{type:"heading",raw:We(t[0],`
`),depth:t[2].charAt(0)==="="?1:2,text:n,tokens:this.lexer.inline(n)}}}paragraph(e){let t=this.rules.block.paragraph.exec(e);if(t){let n=t[1].charAt(t[1].length-1)===`
`?t[1].slice(0,-1):t[1];return{type:"paragraph",raw:t[0],text:n,tokens:this.lexer.inline(n)}}}text(e){let t=this.rules.block.text.exec(e);if(t)return{type:"text",raw:t[0],text:t[0],tokens:this.lexer.inline(t[0])}}escape(e){let t=this.rules.inline.escape.exec(e);if(t)return{type:"escape",raw:t[0],text:t[1]}}tag(e){let t=this.rules.inline.tag.exec(e);if(t)return!this.lexer.state.inLink&&this.rules.other.startATag.test(t[0])?this.lexer.state.inLink=!0:this.lexer.state.inLink&&this.rules.other.endATag.test(t[0])&&(this.lexer.state.inLink=!1),!this.lexer.state.inRawBlock&&this.rules.other.startPreScriptTag.test(t[0])?this.lexer.state.inRawBlock=!0:this.lexer.state.inRawBlock&&this.rules.other.endPreScriptTag.test(t[0])&&(this.lexer.state.inRawBlock=!1),{type:"html",raw:t[0],inLink:this.lexer.state.inLink,inRawBlock:this.lexer.state.inRawBlock,block:!1,text:t[0]}}link(e){let t=this.rules.inline.link.exec(e);if(t){let n=t[2].trim();if(!this.options.pedantic&&this.rules.other.startAngleBracket.test(n)){if(!this.rules.other.endAngleBracket.test(n))return;let o=We(n.slice(0,-1),"\\");if((n.length-o.length)%2===0)return}else{let o=Al(t[2],"()");if(o===-2)return;if(o>-1){let a=(t[0].indexOf("!")===0?5:4)+t[1].length+o;t[2]=t[2].substring(0,o),t[0]=t[0].substring(0,a).trim(),t[3]=""}}let r=t[2],i="";if(this.options.pedantic){let o=this.rules.other.pedanticHrefTitle.exec(r);o&&(r=o[1],i=o[3])}else i=t[3]?t[3].slice(1,-1):"";return r=r.trim(),this.rules.other.startAngleBracket.test(r)&&(this.options.pedantic&&!this.rules.other.endAngleBracket.test(n)?r=r.slice(1):r=r.slice(1,-1)),vi(t,{href:r&&r.replace(this.rules.inline.anyPunctuation,"$1"),title:i&&i.replace(this.rules.inline.anyPunctuation,"$1")},t[0],this.lexer,this.rules)}}reflink(e,t){let n;if((n=this.rules.inline.reflink.exec(e))||(n=this.rules.inline.nolink.exec(e))){let r=(n[2]||n[1]).replace(this.rules.other.multipleSpaceGlobal," "),i=t[r.toLowerCase()];if(!i){let o=n[0].charAt(0);return{type:"text",raw:o,text:o}}return vi(n,i,n[0],this.lexer,this.rules)}}emStrong(e,t,n=""){let r=this.rules.inline.emStrongLDelim.exec(e);if(!(!r||!r[1]&&!r[2]&&!r[3]&&!r[4]||r[4]&&n.match(this.rules.other.unicodeAlphaNumeric))&&(!(r[1]||r[3])||!n||this.rules.inline.punctuation.exec(n))){let i=[...r[0]].length-1,o,a,l=i,f=0,u=r[0][0]==="*"?this.rules.inline.emStrongRDelimAst:this.rules.inline.emStrongRDelimUnd;for(u.lastIndex=0,t=t.slice(-1*e.length+i);(r=u.exec(t))!==null;){if(o=r[1]||r[2]||r[3]||r[4]||r[5]||r[6],!o)continue;if(a=[...o].length,r[3]||r[4]){l+=a;continue}else if((r[5]||r[6])&&i%3&&!((i+a)%3)){f+=a;continue}if(l-=a,l>0)continue;a=Math.min(a,a+l+f);let p=[...r[0]][0].length,m=e.slice(0,i+r.index+p+a);if(Math.min(i,a)%2){let _=m.slice(1,-1);return{type:"em",raw:m,text:_,tokens:this.lexer.inlineTokens(_)}}let d=m.slice(2,-2);return{type:"strong",raw:m,text:d,tokens:this.lexer.inlineTokens(d)}}}}codespan(e){let t=this.rules.inline.code.exec(e);if(t){let n=t[2].replace(this.rules.other.newLineCharGlobal," "),r=this.rules.other.nonSpaceChar.test(n),i=this.rules.other.startingSpaceChar.test(n)&&this.rules.other.endingSpaceChar.test(n);return r&&i&&(n=n.substring(1,n.length-1)),{type:"codespan",raw:t[0],text:n}}}br(e){let t=this.rules.inline.br.exec(e);if(t)return{type:"br",raw:t[0]}}del(e,t,n=""){let r=this.rules.inline.delLDelim.exec(e);if(r&&(!r[1]||!n||this.rules.inline.punctuation.exec(n))){let i=[...r[0]].length-1,o,a,l=i,f=this.rules.inline.delRDelim;for(f.lastIndex=0,t=t.slice(-1*e.length+i);(r=f.exec(t))!==null;){if(o=r[1]||r[2]||r[3]||r[4]||r[5]||r[6],!o||(a=[...o].length,a!==i))continue;if(r[3]||r[4]){l+=a;continue}if(l-=a,l>0)continue;a=Math.min(a,a+l);let u=[...r[0]][0].length,p=e.slice(0,i+r.index+u+a),m=p.slice(i,-i);return{type:"del",raw:p,text:m,tokens:this.lexer.inlineTokens(m)}}}}autolink(e){let t=this.rules.inline.autolink.exec(e);if(t){let n,r;return t[2]==="@"?(n=t[1],r="mailto:"+n):(n=t[1],r=n),{type:"link",raw:t[0],text:n,href:r,tokens:[{type:"text",raw:n,text:n}]}}}url(e){let t;if(t=this.rules.inline.url.exec(e)){let n,r;if(t[2]==="@")n=t[0],r="mailto:"+n;else{let i;do i=t[0],t[0]=this.rules.inline._backpedal.exec(t[0])?.[0]??"";while(i!==t[0]);n=t[0],t[1]==="www."?r="http://"+t[0]:r=t[0]}return{type:"link",raw:t[0],text:n,href:r,tokens:[{type:"text",raw:n,text:n}]}}}inlineText(e){let t=this.rules.inline.text.exec(e);if(t){let n=this.lexer.state.inRawBlock;return{type:"text",raw:t[0],text:t[0],escaped:n}}}},Te=class Xn{tokens;options;state;inlineQueue;tokenizer;constructor(t){this.tokens=[],this.tokens.links=Object.create(null),this.options=t||ot,this.options.tokenizer=this.options.tokenizer||new cn,this.tokenizer=this.options.tokenizer,this.tokenizer.options=this.options,this.tokenizer.lexer=this,this.inlineQueue=[],this.state={inLink:!1,inRawBlock:!1,top:!0};let n={other:ue,block:Jt.normal,inline:$t.normal};this.options.pedantic?(n.block=Jt.pedantic,n.inline=$t.pedantic):this.options.gfm&&(n.block=Jt.gfm,this.options.breaks?n.inline=$t.breaks:n.inline=$t.gfm),this.tokenizer.rules=n}static get rules(){return{block:Jt,inline:$t}}static lex(t,n){return new Xn(n).lex(t)}static lexInline(t,n){return new Xn(n).inlineTokens(t)}lex(t){t=t.replace(ue.carriageReturn,`
`),this.blockTokens(t,this.tokens);for(let n=0;n<this.inlineQueue.length;n++){let r=this.inlineQueue[n];this.inlineTokens(r.src,r.tokens)}return this.inlineQueue=[],this.tokens}blockTokens(t,n=[],r=!1){this.tokenizer.lexer=this,this.options.pedantic&&(t=t.replace(ue.tabCharGlobal,"    ").replace(ue.spaceLine,""));let i=1/0;for(;t;){if(t.length<i)i=t.length;else{this.infiniteLoopError(t.charCodeAt(0));break}let o;if(this.options.extensions?.block?.some(l=>(o=l.call({lexer:this},t,n))?(t=t.substring(o.raw.length),n.push(o),!0):!1))continue;if(o=this.tokenizer.space(t)){t=t.substring(o.raw.length);let l=n.at(-1);o.raw.length===1&&l!==void 0?l.raw+=`
`:n.push(o);continue}if(o=this.tokenizer.code(t)){t=t.substring(o.raw.length);let l=n.at(-1);l?.type==="paragraph"||l?.type==="text"?(l.raw+=(l.raw.endsWith(`
`)?"":`
`)+o.raw,l.text+=`
`+o.text,this.inlineQueue.at(-1).src=l.text):n.push(o);continue}if(o=this.tokenizer.fences(t)){t=t.substring(o.raw.length),n.push(o);continue}if(o=this.tokenizer.heading(t)){t=t.substring(o.raw.length),n.push(o);continue}if(o=this.tokenizer.hr(t)){t=t.substring(o.raw.length),n.push(o);continue}if(o=this.tokenizer.blockquote(t)){t=t.substring(o.raw.length),n.push(o);continue}if(o=this.tokenizer.list(t)){t=t.substring(o.raw.length),n.push(o);continue}if(o=this.tokenizer.html(t)){t=t.substring(o.raw.length),n.push(o);continue}if(o=this.tokenizer.def(t)){t=t.substring(o.raw.length);let l=n.at(-1);l?.type==="paragraph"||l?.type==="text"?(l.raw+=(l.raw.endsWith(`
`)?"":`
`)+o.raw,l.text+=`
`+o.raw,this.inlineQueue.at(-1).src=l.text):this.tokens.links[o.tag]||(this.tokens.links[o.tag]={href:o.href,title:o.title},n.push(o));continue}if(o=this.tokenizer.table(t)){t=t.substring(o.raw.length),n.push(o);continue}if(o=this.tokenizer.lheading(t)){t=t.substring(o.raw.length),n.push(o);continue}let a=t;if(this.options.extensions?.startBlock){let l=1/0,f=t.slice(1),u;this.options.extensions.startBlock.forEach(p=>{u=p.call({lexer:this},f),typeof u=="number"&&u>=0&&(l=Math.min(l,u))}),l<1/0&&l>=0&&(a=t.substring(0,l+1))}if(this.state.top&&(o=this.tokenizer.paragraph(a))){let l=n.at(-1);r&&l?.type==="paragraph"?(l.raw+=(l.raw.endsWith(`
`)?"":`
`)+o.raw,l.text+=`
`+o.text,this.inlineQueue.pop(),this.inlineQueue.at(-1).src=l.text):n.push(o),r=a.length!==t.length,t=t.substring(o.raw.length);continue}if(o=this.tokenizer.text(t)){t=t.substring(o.raw.length);let l=n.at(-1);l?.type==="text"?(l.raw+=(l.raw.endsWith(`
`)?"":`
`)+o.raw,l.text+=`
`+o.text,this.inlineQueue.pop(),this.inlineQueue.at(-1).src=l.text):n.push(o);continue}if(t){this.infiniteLoopError(t.charCodeAt(0));break}}return this.state.top=!0,n}inline(t,n=[]){return this.inlineQueue.push({src:t,tokens:n}),n}inlineTokens(t,n=[]){this.tokenizer.lexer=this;let r=t;if(this.tokens.links){let l=Object.keys(this.tokens.links);l.length>0&&(r=r.replace(this.tokenizer.rules.inline.reflinkSearch,f=>l.includes(f.slice(f.lastIndexOf("[")+1,-1))?"["+"a".repeat(f.length-2)+"]":f))}r=r.replace(this.tokenizer.rules.inline.anyPunctuation,"++"),r=r.replace(this.tokenizer.rules.inline.blockSkip,(l,f,u)=>{let p=u?u.length:0;return l.slice(0,p)+"["+"a".repeat(l.length-p-2)+"]"}),r=this.options.hooks?.emStrongMask?.call({lexer:this},r)??r;let i=!1,o="",a=1/0;for(;t;){if(t.length<a)a=t.length;else{this.infiniteLoopError(t.charCodeAt(0));break}i||(o=""),i=!1;let l;if(this.options.extensions?.inline?.some(u=>(l=u.call({lexer:this},t,n))?(t=t.substring(l.raw.length),n.push(l),!0):!1))continue;if(l=this.tokenizer.escape(t)){t=t.substring(l.raw.length),n.push(l);continue}if(l=this.tokenizer.tag(t)){t=t.substring(l.raw.length),n.push(l);continue}if(l=this.tokenizer.link(t)){t=t.substring(l.raw.length),n.push(l);continue}if(l=this.tokenizer.reflink(t,this.tokens.links)){t=t.substring(l.raw.length);let u=n.at(-1);l.type==="text"&&u?.type==="text"?(u.raw+=l.raw,u.text+=l.text):n.push(l);continue}if(l=this.tokenizer.emStrong(t,r,o)){t=t.substring(l.raw.length),n.push(l);continue}if(l=this.tokenizer.codespan(t)){t=t.substring(l.raw.length),n.push(l);continue}if(l=this.tokenizer.br(t)){t=t.substring(l.raw.length),n.push(l);continue}if(l=this.tokenizer.del(t,r,o)){t=t.substring(l.raw.length),n.push(l);continue}if(l=this.tokenizer.autolink(t)){t=t.substring(l.raw.length),n.push(l);continue}if(!this.state.inLink&&(l=this.tokenizer.url(t))){t=t.substring(l.raw.length),n.push(l);continue}let f=t;if(this.options.extensions?.startInline){let u=1/0,p=t.slice(1),m;this.options.extensions.startInline.forEach(d=>{m=d.call({lexer:this},p),typeof m=="number"&&m>=0&&(u=Math.min(u,m))}),u<1/0&&u>=0&&(f=t.substring(0,u+1))}if(l=this.tokenizer.inlineText(f)){t=t.substring(l.raw.length),l.raw.slice(-1)!=="_"&&(o=l.raw.slice(-1)),i=!0;let u=n.at(-1);u?.type==="text"?(u.raw+=l.raw,u.text+=l.text):n.push(l);continue}if(t){this.infiniteLoopError(t.charCodeAt(0));break}}return n}infiniteLoopError(t){let n="Infinite loop on byte: "+t;if(this.options.silent)console.error(n);else throw new Error(n)}},un=class{options;parser;constructor(e){this.options=e||ot}space(e){return""}code({text:e,lang:t,escaped:n}){let r=(t||"").match(ue.notSpaceStart)?.[0],i=e.replace(ue.endingNewline,"")+`
`;return r?'<pre><code class="language-'+$e(r)+'">'+(n?i:$e(i,!0))+`</code></pre>
`:"<pre><code>"+(n?i:$e(i,!0))+`</code></pre>
`}blockquote({tokens:e}){return`<blockquote>
${this.parser.parse(e)}</blockquote>
`}html({text:e}){return e}def(e){return""}heading({tokens:e,depth:t}){return`<h${t}>${this.parser.parseInline(e)}</h${t}>
`}hr(e){return`<hr>
`}list(e){let t=e.ordered,n=e.start,r="";for(let a=0;a<e.items.length;a++){let l=e.items[a];r+=this.listitem(l)}let i=t?"ol":"ul",o=t&&n!==1?' start="'+n+'"':"";return"<"+i+o+`>
`+r+"</"+i+`>
`}listitem(e){return`<li>${this.parser.parse(e.tokens)}</li>
`}checkbox({checked:e}){return"<input "+(e?'checked="" ':"")+'disabled="" type="checkbox"> '}paragraph({tokens:e}){return`<p>${this.parser.parseInline(e)}</p>
`}table(e){let t="",n="";for(let i=0;i<e.header.length;i++)n+=this.tablecell(e.header[i]);t+=this.tablerow({text:n});let r="";for(let i=0;i<e.rows.length;i++){let o=e.rows[i];n="";for(let a=0;a<o.length;a++)n+=this.tablecell(o[a]);r+=this.tablerow({text:n})}return r&&(r=`<tbody>${r}</tbody>`),`<table>
<thead>
`+t+`</thead>
`+r+`</table>
`}tablerow({text:e}){return`<tr>
${e}</tr>
`}tablecell(e){let t=this.parser.parseInline(e.tokens),n=e.header?"th":"td";return(e.align?`<${n} align="${e.align}">`:`<${n}>`)+t+`</${n}>
`}strong({tokens:e}){return`<strong>${this.parser.parseInline(e)}</strong>`}em({tokens:e}){return`<em>${this.parser.parseInline(e)}</em>`}codespan({text:e}){return`<code>${$e(e,!0)}</code>`}br(e){return"<br>"}del({tokens:e}){return`<del>${this.parser.parseInline(e)}</del>`}link({href:e,title:t,tokens:n}){let r=this.parser.parseInline(n),i=Si(e);if(i===null)return r;e=i;let o='<a href="'+e+'"';return t&&(o+=' title="'+$e(t)+'"'),o+=">"+r+"</a>",o}image({href:e,title:t,text:n,tokens:r}){r&&(n=this.parser.parseInline(r,this.parser.textRenderer));let i=Si(e);if(i===null)return $e(n);e=i;let o=`<img src="${e}" alt="${$e(n)}"`;return t&&(o+=` title="${$e(t)}"`),o+=">",o}text(e){return"tokens"in e&&e.tokens?this.parser.parseInline(e.tokens):"escaped"in e&&e.escaped?e.text:$e(e.text)}},mr=class{strong({text:e}){return e}em({text:e}){return e}codespan({text:e}){return e}del({text:e}){return e}html({text:e}){return e}text({text:e}){return e}link({text:e}){return""+e}image({text:e}){return""+e}br(){return""}checkbox({raw:e}){return e}},Se=class Zn{options;renderer;textRenderer;constructor(t){this.options=t||ot,this.options.renderer=this.options.renderer||new un,this.renderer=this.options.renderer,this.renderer.options=this.options,this.renderer.parser=this,this.textRenderer=new mr}static parse(t,n){return new Zn(n).parse(t)}static parseInline(t,n){return new Zn(n).parseInline(t)}parse(t){this.renderer.parser=this;let n="";for(let r=0;r<t.length;r++){let i=t[r];if(this.options.extensions?.renderers?.[i.type]){let a=i,l=this.options.extensions.renderers[a.type].call({parser:this},a);if(l!==!1||!["space","hr","heading","code","table","blockquote","list","html","def","paragraph","text"].includes(a.type)){n+=l||"";continue}}let o=i;switch(o.type){case"space":{n+=this.renderer.space(o);break}case"hr":{n+=this.renderer.hr(o);break}case"heading":{n+=this.renderer.heading(o);break}case"code":{n+=this.renderer.code(o);break}case"table":{n+=this.renderer.table(o);break}case"blockquote":{n+=this.renderer.blockquote(o);break}case"list":{n+=this.renderer.list(o);break}case"checkbox":{n+=this.renderer.checkbox(o);break}case"html":{n+=this.renderer.html(o);break}case"def":{n+=this.renderer.def(o);break}case"paragraph":{n+=this.renderer.paragraph(o);break}case"text":{n+=this.renderer.text(o);break}default:{let a='Token with "'+o.type+'" type was not found.';if(this.options.silent)return console.error(a),"";throw new Error(a)}}}return n}parseInline(t,n=this.renderer){this.renderer.parser=this;let r="";for(let i=0;i<t.length;i++){let o=t[i];if(this.options.extensions?.renderers?.[o.type]){let l=this.options.extensions.renderers[o.type].call({parser:this},o);if(l!==!1||!["escape","html","link","image","strong","em","codespan","br","del","text"].includes(o.type)){r+=l||"";continue}}let a=o;switch(a.type){case"escape":{r+=n.text(a);break}case"html":{r+=n.html(a);break}case"link":{r+=n.link(a);break}case"image":{r+=n.image(a);break}case"checkbox":{r+=n.checkbox(a);break}case"strong":{r+=n.strong(a);break}case"em":{r+=n.em(a);break}case"codespan":{r+=n.codespan(a);break}case"br":{r+=n.br(a);break}case"del":{r+=n.del(a);break}case"text":{r+=n.text(a);break}default:{let l='Token with "'+a.type+'" type was not found.';if(this.options.silent)return console.error(l),"";throw new Error(l)}}}return r}},Pt=class{options;block;constructor(e){this.options=e||ot}static passThroughHooks=new Set(["preprocess","postprocess","processAllTokens","emStrongMask"]);static passThroughHooksRespectAsync=new Set(["preprocess","postprocess","processAllTokens"]);preprocess(e){return e}postprocess(e){return e}processAllTokens(e){return e}emStrongMask(e){return e}provideLexer(e=this.block){return e?Te.lex:Te.lexInline}provideParser(e=this.block){return e?Se.parse:Se.parseInline}},Rl=class{defaults=ar();options=this.setOptions;parse=this.parseMarkdown(!0);parseInline=this.parseMarkdown(!1);Parser=Se;Renderer=un;TextRenderer=mr;Lexer=Te;Tokenizer=cn;Hooks=Pt;constructor(...e){this.use(...e)}walkTokens(e,t){let n=[];for(let r of e)switch(n=n.concat(t.call(this,r)),r.type){case"table":{let i=r;for(let o of i.header)n=n.concat(this.walkTokens(o.tokens,t));for(let o of i.rows)for(let a of o)n=n.concat(this.walkTokens(a.tokens,t));break}case"list":{let i=r;n=n.concat(this.walkTokens(i.items,t));break}default:{let i=r;this.defaults.extensions?.childTokens?.[i.type]?this.defaults.extensions.childTokens[i.type].forEach(o=>{let a=i[o].flat(1/0);n=n.concat(this.walkTokens(a,t))}):i.tokens&&(n=n.concat(this.walkTokens(i.tokens,t)))}}return n}use(...e){let t=this.defaults.extensions||{renderers:{},childTokens:{}};return e.forEach(n=>{let r={...n};if(r.async=this.defaults.async||r.async||!1,n.extensions&&(n.extensions.forEach(i=>{if(!i.name)throw new Error("extension name required");if("renderer"in i){let o=t.renderers[i.name];o?t.renderers[i.name]=function(...a){let l=i.renderer.apply(this,a);return l===!1&&(l=o.apply(this,a)),l}:t.renderers[i.name]=i.renderer}if("tokenizer"in i){if(!i.level||i.level!=="block"&&i.level!=="inline")throw new Error("extension level must be 'block' or 'inline'");let o=t[i.level];o?o.unshift(i.tokenizer):t[i.level]=[i.tokenizer],i.start&&(i.level==="block"?t.startBlock?t.startBlock.push(i.start):t.startBlock=[i.start]:i.level==="inline"&&(t.startInline?t.startInline.push(i.start):t.startInline=[i.start]))}"childTokens"in i&&i.childTokens&&(t.childTokens[i.name]=i.childTokens)}),r.extensions=t),n.renderer){let i=this.defaults.renderer||new un(this.defaults);for(let o in n.renderer){if(!(o in i))throw new Error(`renderer '${o}' does not exist`);if(["options","parser"].includes(o))continue;let a=o,l=n.renderer[a],f=i[a];i[a]=(...u)=>{let p=l.apply(i,u);return p===!1&&(p=f.apply(i,u)),p||""}}r.renderer=i}if(n.tokenizer){let i=this.defaults.tokenizer||new cn(this.defaults);for(let o in n.tokenizer){if(!(o in i))throw new Error(`tokenizer '${o}' does not exist`);if(["options","rules","lexer"].includes(o))continue;let a=o,l=n.tokenizer[a],f=i[a];i[a]=(...u)=>{let p=l.apply(i,u);return p===!1&&(p=f.apply(i,u)),p}}r.tokenizer=i}if(n.hooks){let i=this.defaults.hooks||new Pt;for(let o in n.hooks){if(!(o in i))throw new Error(`hook '${o}' does not exist`);if(["options","block"].includes(o))continue;let a=o,l=n.hooks[a],f=i[a];Pt.passThroughHooks.has(o)?i[a]=u=>{if(this.defaults.async&&Pt.passThroughHooksRespectAsync.has(o))return(async()=>{let m=await l.call(i,u);return f.call(i,m)})();let p=l.call(i,u);return f.call(i,p)}:i[a]=(...u)=>{if(this.defaults.async)return(async()=>{let m=await l.apply(i,u);return m===!1&&(m=await f.apply(i,u)),m})();let p=l.apply(i,u);return p===!1&&(p=f.apply(i,u)),p}}r.hooks=i}if(n.walkTokens){let i=this.defaults.walkTokens,o=n.walkTokens;r.walkTokens=function(a){let l=[];return l.push(o.call(this,a)),i&&(l=l.concat(i.call(this,a))),l}}this.defaults={...this.defaults,...r}}),this}setOptions(e){return this.defaults={...this.defaults,...e},this}lexer(e,t){return Te.lex(e,t??this.defaults)}parser(e,t){return Se.parse(e,t??this.defaults)}parseMarkdown(e){return(t,n)=>{let r={...n},i={...this.defaults,...r},o=this.onError(!!i.silent,!!i.async);if(this.defaults.async===!0&&r.async===!1)return o(new Error("marked(): The async option was set to true by an extension. Remove async: false from the parse options object to return a Promise."));if(typeof t>"u"||t===null)return o(new Error("marked(): input parameter is undefined or null"));if(typeof t!="string")return o(new Error("marked(): input parameter is of type "+Object.prototype.toString.call(t)+", string expected"));if(i.hooks&&(i.hooks.options=i,i.hooks.block=e),i.async)return(async()=>{let a=i.hooks?await i.hooks.preprocess(t):t,l=await(i.hooks?await i.hooks.provideLexer(e):e?Te.lex:Te.lexInline)(a,i),f=i.hooks?await i.hooks.processAllTokens(l):l;i.walkTokens&&await Promise.all(this.walkTokens(f,i.walkTokens));let u=await(i.hooks?await i.hooks.provideParser(e):e?Se.parse:Se.parseInline)(f,i);return i.hooks?await i.hooks.postprocess(u):u})().catch(o);try{i.hooks&&(t=i.hooks.preprocess(t));let a=(i.hooks?i.hooks.provideLexer(e):e?Te.lex:Te.lexInline)(t,i);i.hooks&&(a=i.hooks.processAllTokens(a)),i.walkTokens&&this.walkTokens(a,i.walkTokens);let l=(i.hooks?i.hooks.provideParser(e):e?Se.parse:Se.parseInline)(a,i);return i.hooks&&(l=i.hooks.postprocess(l)),l}catch(a){return o(a)}}}onError(e,t){return n=>{if(n.message+=`
Please report this to https://github.com/markedjs/marked.`,e){let r="<p>An error occurred:</p><pre>"+$e(n.message+"",!0)+"</pre>";return t?Promise.resolve(r):r}if(t)return Promise.reject(n);throw n}}},rt=new Rl;function z(e,t){return rt.parse(e,t)}z.options=z.setOptions=function(e){return rt.setOptions(e),z.defaults=rt.defaults,so(z.defaults),z};z.getDefaults=ar;z.defaults=ot;z.use=function(...e){return rt.use(...e),z.defaults=rt.defaults,so(z.defaults),z};z.walkTokens=function(e,t){return rt.walkTokens(e,t)};z.parseInline=rt.parseInline;z.Parser=Se;z.parser=Se.parse;z.Renderer=un;z.TextRenderer=mr;z.Lexer=Te;z.lexer=Te.lex;z.Tokenizer=cn;z.Hooks=Pt;z.parse=z;z.options;z.setOptions;z.use;z.walkTokens;z.parseInline;Se.parse;Te.lex;oo.addHook("afterSanitizeAttributes",e=>{if(e.tagName==="IMG"&&!e.hasAttribute("alt")&&e.setAttribute("alt","image"),e.tagName==="A"){const t=e.getAttribute("href")??"";/^(https?:|mailto:|#|\/)/i.test(t)||e.removeAttribute("href"),e.setAttribute("rel","noopener noreferrer"),e.setAttribute("target","_blank")}});const El=/<[a-zA-Z](?:"[^"]*"|'[^']*'|[^'">])*>/g,vl=/([\s/"'])(on[a-z]+\s*=)/gi;function Il(e){return e.replace(El,t=>t.replace(vl,"$1blocked-$2"))}function $l(e){const t=Il(z.parse(e,{async:!1,gfm:!0}));return oo.sanitize(t,{USE_PROFILES:{html:!0},FORBID_TAGS:["style","form","input","button","iframe","object","embed"],FORBID_ATTR:["style"]})}function gr(e){return s("div",{class:"markdown",dangerouslySetInnerHTML:{__html:$l(e.source)}})}function Nl(e){if(!e||typeof e!="object")return null;const t=e;return!Array.isArray(t.columns)||!Array.isArray(t.rows)?null:{columns:t.columns.map(String),rows:t.rows.map(n=>Array.isArray(n)?n:[n])}}function Pl(e){if(typeof e!="string")return null;try{const t=new URL(e);return t.protocol==="http:"||t.protocol==="https:"?t.href:null}catch{return null}}function Ii(e){const[t,n]=q(null),[r,i]=q(null);return xt(()=>{hn(Ws,{id:e.id}).then(o=>n(o.artifact?.signedUrl?.url??null),o=>i(o.message))},[e.id]),r?s("p",{class:"error",children:r}):t?e.kind==="image"?s("img",{class:"preview-image",src:t,alt:`Preview of ${e.name}`}):s("iframe",{class:"preview-pdf",src:t,title:`PDF preview of ${e.name}`,referrerpolicy:"no-referrer",sandbox:""}):s("p",{class:"muted",children:"Loading preview…"})}function qn(e){return e.preview?.truncated?s("p",{class:"muted",children:"Only the first part is shown: download the file for all of it."}):null}function Cl(e){const{type:t,data:n,preview:r}=e;switch(t){case"MARKDOWN":return s(gr,{source:typeof n=="string"?n:""});case"TABLE":{const i=Nl(n);return i?s(ei,{columns:i.columns,rows:i.rows,caption:e.name}):s("p",{class:"empty",children:"This table is empty."})}case"LINK":{const i=n??{},o=Pl(i.url),a=typeof i.text=="string"&&i.text?i.text:String(i.url??"");return o?s("p",{children:[s("a",{href:o,rel:"noopener noreferrer",target:"_blank",children:a})," ",s("span",{class:"muted",children:["(",o,")"]})]}):s("p",{class:"error",children:"This link is not an http(s) URL and is not shown as a link."})}case"PNG":case"JPEG":case"WEBP":case"GIF":return s(Ii,{id:e.id,kind:"image",name:e.name});case"PDF":return s(Ii,{id:e.id,kind:"pdf",name:e.name});case"JSON":{const i=r?.text??"";let o,a=!1;if(!r?.truncated)try{o=JSON.parse(i),a=!0}catch{a=!1}return a?s("div",{class:"json",children:s(Lt,{value:o})}):s("div",{children:[s("pre",{class:"source",children:i}),s(qn,{preview:r})]})}case"CSV":return r?.columns&&r.rows?s("div",{children:[s(ei,{columns:r.columns,rows:r.rows,caption:`${e.name} (first rows)`}),s(qn,{preview:r})]}):s("pre",{class:"source",children:r?.text??""});case"TEXT":case"HTML":case"SVG":case"XML":return s("div",{children:[t!=="TEXT"&&s("p",{class:"muted",children:[t," is shown as source; it is never rendered here."]}),s("pre",{class:"source",tabIndex:0,children:r?.text??""}),s(qn,{preview:r})]});default:return s("p",{class:"empty",children:["No preview for ",t," files: download it."]})}}const Dl=["MARKDOWN","TABLE","LINK","JSON","TEXT","PNG","JPEG","WEBP","GIF","SVG","PDF","CSV","XML","HTML","BINARY"],Ll=["PENDING","RUNNING","COMPLETED","FAILED","CANCELLED"];function Mt(e){return s("section",{children:[s("h1",{children:[e.what," not found"]}),s("p",{children:["It does not exist or belongs to another organization. ",s(Y,{href:"/",children:"Back to the start page"})]})]})}function Ol(){const[e,t]=q(""),[n,r]=q(""),[i,o]=q(""),[a,l]=q(""),[f,u]=q(""),[p,m]=q(""),d=Ke(),_={};e&&(_.displayName={contains:e}),n&&(_.key={startsWith:n}),i&&(_.type=[i]),a&&(_.category={eq:a}),f&&(_.workflowId={eq:f}),p&&(_.workflowRun={status:[p]});const b=Ce(zs,{filter:_,first:25,after:d.after}),N={..._,key:{exists:!1}},R=Ce(Bs,{unkeyed:N}),A=y=>T=>{y(T.currentTarget.value),d.reset()};return s("section",{children:[s("h1",{children:"Latest artifacts"}),s("form",{class:"filters",role:"search",onSubmit:y=>y.preventDefault(),children:[s("label",{children:["Name contains ",s("input",{type:"search",value:e,onInput:A(t)})]}),s("label",{children:["Key starts with ",s("input",{type:"search",value:n,onInput:A(r)})]}),s("label",{children:["Type"," ",s("select",{value:i,onChange:A(o),children:[s("option",{value:"",children:"any"}),Dl.map(y=>s("option",{value:y,children:y},y))]})]}),s("label",{children:["Category ",s("input",{type:"text",value:a,onInput:A(l)})]}),s("label",{children:["Workflow"," ",s("select",{value:f,onChange:A(u),children:[s("option",{value:"",children:"any"}),R.data?.workflows.nodes.map(y=>s("option",{value:y.id,children:y.name},y.id))]})]}),s("label",{children:["Run status"," ",s("select",{value:p,onChange:A(m),children:[s("option",{value:"",children:"any"}),Ll.map(y=>s("option",{value:y,children:y},y))]})]})]}),b.error&&s(De,{error:b.error}),b.data?s(Pe,{children:[s(bt,{artifacts:b.data.latestArtifacts.nodes,caption:`Newest version of each key (${b.data.latestArtifacts.totalCount})`,empty:"No keyed artifact matches.",showRun:!0}),s(Me,{label:"Latest artifacts",page:d.page,hasNext:b.data.latestArtifacts.pageInfo.hasNextPage,onNext:()=>d.next(b.data?.latestArtifacts.pageInfo.endCursor),onPrev:d.prev})]}):!b.error&&s(it,{}),R.data&&s(Pe,{children:[s("h2",{children:"Recent artifacts without a key"}),s(bt,{artifacts:R.data.unkeyed.nodes,caption:"Recent unkeyed artifacts",empty:"No unkeyed artifact matches.",showRun:!0}),s("div",{class:"columns",children:[s("div",{children:[s("h2",{children:"Recent job runs"}),R.data.jobRuns.nodes.length===0?s("p",{class:"empty",children:"No job runs yet."}):s("ul",{class:"list",children:R.data.jobRuns.nodes.map(y=>s("li",{children:[s(Y,{href:ie.job(y.id),children:y.name??y.id})," ",s(nt,{value:y.status})," ",s("span",{class:"muted",children:Ne(y.createdAt)})]},y.id))})]}),s("div",{children:[s("h2",{children:"Recent workflow runs"}),R.data.workflowRuns.nodes.length===0?s("p",{class:"empty",children:"No workflow runs yet."}):s("ul",{class:"list",children:R.data.workflowRuns.nodes.map(y=>s("li",{children:[s(Y,{href:ie.run(y.id),children:y.name??y.id})," of"," ",s(Y,{href:ie.workflow(y.workflow.id),children:y.workflow.name})," ",s(nt,{value:y.status})," ",s("span",{class:"muted",children:Ne(y.createdAt)})]},y.id))})]})]})]}),R.error&&s(De,{error:R.error})]})}function Ml(e){const t=Ke(),n=Ke(),r=Ce(Fs,{id:e.id,runsAfter:t.after,artifactsAfter:n.after});if(r.error)return s(De,{error:r.error});if(!r.data)return s(it,{});const i=r.data.workflow;return i?s("section",{children:[s("h1",{children:["Workflow ",i.name]}),i.tags.length>0&&s("p",{children:i.tags.map(o=>s("span",{class:"tag",children:o},o))}),i.description&&s(gr,{source:i.description}),s("h2",{children:["Runs (",i.runs.totalCount,")"]}),i.runs.nodes.length===0?s("p",{class:"empty",children:"This workflow has no runs yet."}):s("table",{children:[s("caption",{children:["Runs of ",i.name]}),s("thead",{children:s("tr",{children:[s("th",{scope:"col",children:"Run"}),s("th",{scope:"col",children:"Status"}),s("th",{scope:"col",children:"Created"}),s("th",{scope:"col",children:"Duration"})]})}),s("tbody",{children:i.runs.nodes.map(o=>s("tr",{children:[s("td",{children:s(Y,{href:ie.run(o.id),children:o.name??o.id})}),s("td",{children:s(nt,{value:o.status})}),s("td",{children:Ne(o.createdAt)}),s("td",{children:sr(o.startedAt,o.endedAt)})]},o.id))})]}),s(Me,{label:"Runs",page:t.page,hasNext:i.runs.pageInfo.hasNextPage,onNext:()=>t.next(i.runs.pageInfo.endCursor),onPrev:t.prev}),s("h2",{children:["Artifacts (",i.artifacts.totalCount,")"]}),s(bt,{artifacts:i.artifacts.nodes,caption:`Artifacts of ${i.name}`,empty:"This workflow has published no artifacts.",showRun:!0}),s(Me,{label:"Artifacts",page:n.page,hasNext:i.artifacts.pageInfo.hasNextPage,onNext:()=>n.next(i.artifacts.pageInfo.endCursor),onPrev:n.prev})]}):s(Mt,{what:"Workflow"})}function _o(e){const[t,n]=q(null);return e.count===0?null:s("p",{children:[s("button",{type:"button",onClick:async()=>{n("Preparing the zip…");try{const i=await Zs(e.filter,e.name);n(i?`Zipped ${i} artifact(s).`:null)}catch(i){n(`Download failed: ${i.message}`)}},children:["Download all (",e.count,") as zip"]})," ",t&&s("span",{role:"status",children:t})]})}function yo(e){return s("p",{class:"muted live","data-live":e.state,role:"status",children:["Live updates: ",e.state,e.last?`; new artifact: ${e.last}`:""]})}function Ul(e){const t=Ke(),n=Ce(js,{id:e.id,after:t.after}),[r,i]=q(null),o=to({workflowRunId:e.id},l=>{i(l),n.reload()});if(n.error)return s(De,{error:n.error});if(!n.data)return s(it,{});const a=n.data.workflowRun;return a?s("section",{children:[s("h1",{children:["Run ",a.name??a.id]}),s("dl",{class:"facts",children:[s("dt",{children:"Status"}),s("dd",{children:s(nt,{value:a.status})}),s("dt",{children:"Workflow"}),s("dd",{children:s(Y,{href:ie.workflow(a.workflow.id),children:a.workflow.name})}),s("dt",{children:"Job run"}),s("dd",{children:a.jobRun?s(Y,{href:ie.job(a.jobRun.id),children:a.jobRun.name??a.jobRun.id}):"—"}),s("dt",{children:"Created"}),s("dd",{children:Ne(a.createdAt)}),s("dt",{children:"Started"}),s("dd",{children:Ne(a.startedAt)}),s("dt",{children:"Ended"}),s("dd",{children:Ne(a.endedAt)}),s("dt",{children:"Duration"}),s("dd",{children:sr(a.startedAt,a.endedAt)})]}),s("h2",{children:"Parameters"}),s("div",{class:"json",children:s(Lt,{value:a.parameters})}),s("h2",{id:"artifacts",children:["Artifacts (",a.artifacts.totalCount,")"]}),s(yo,{state:o,last:r}),s(_o,{filter:{workflowRunId:{eq:a.id}},name:`run-${a.id}.zip`,count:a.artifacts.totalCount}),s(bt,{artifacts:a.artifacts.nodes,caption:`Artifacts of run ${a.name??a.id}`,empty:"This run has published no artifacts yet."}),s(Me,{label:"Artifacts",page:t.page,hasNext:a.artifacts.pageInfo.hasNextPage,onNext:()=>t.next(a.artifacts.pageInfo.endCursor),onPrev:t.prev})]}):s(Mt,{what:"Workflow run"})}function zl(e){const t=Ke(),n=Ke(),r=Ce(qs,{id:e.id,runsAfter:t.after,after:n.after}),[i,o]=q(null),a=to({jobRunId:e.id},f=>{o(f),r.reload()});if(r.error)return s(De,{error:r.error});if(!r.data)return s(it,{});const l=r.data.jobRun;return l?s("section",{children:[s("h1",{children:["Job run ",l.name??l.id]}),s("dl",{class:"facts",children:[s("dt",{children:"Status"}),s("dd",{children:s(nt,{value:l.status})}),s("dt",{children:"Created"}),s("dd",{children:Ne(l.createdAt)}),s("dt",{children:"Duration"}),s("dd",{children:sr(l.startedAt,l.endedAt)})]}),s("h2",{children:"Metadata"}),s("div",{class:"json",children:s(Lt,{value:l.metadata})}),s("h2",{children:["Workflow runs (",l.workflowRuns.totalCount,")"]}),l.workflowRuns.nodes.length===0?s("p",{class:"empty",children:"No workflow runs in this job run."}):s("ul",{class:"list",children:l.workflowRuns.nodes.map(f=>s("li",{children:[s(Y,{href:ie.run(f.id),children:f.name??f.id})," of"," ",s(Y,{href:ie.workflow(f.workflow.id),children:f.workflow.name})," ",s(nt,{value:f.status})]},f.id))}),s(Me,{label:"Workflow runs",page:t.page,hasNext:l.workflowRuns.pageInfo.hasNextPage,onNext:()=>t.next(l.workflowRuns.pageInfo.endCursor),onPrev:t.prev}),s("h2",{id:"artifacts",children:["Artifacts of every run (",l.artifacts.totalCount,")"]}),s(yo,{state:a,last:i}),s(_o,{filter:{jobRunId:{eq:l.id}},name:`job-run-${l.id}.zip`,count:l.artifacts.totalCount}),s(bt,{artifacts:l.artifacts.nodes,caption:"Roll-up of the job run's artifacts",empty:"No run of this job has published an artifact yet.",showRun:!0}),s(Me,{label:"Artifacts",page:n.page,hasNext:l.artifacts.pageInfo.hasNextPage,onNext:()=>n.next(l.artifacts.pageInfo.endCursor),onPrev:n.prev})]}):s(Mt,{what:"Job run"})}function Bl(e){const t=Ke(),n=Ce(Hs,{id:e.id,versionsAfter:t.after}),[r,i]=q(null);if(n.error)return s(De,{error:n.error});if(!n.data)return s(it,{});const o=n.data.artifact;if(!o)return s(Mt,{what:"Artifact"});const a=!["MARKDOWN","TABLE","LINK"].includes(o.type),l=async()=>{i(null);try{await Js(o.id)}catch(f){i(f.message)}};return s("section",{children:[s("h1",{children:o.displayName}),a&&o.status==="AVAILABLE"&&s("p",{children:[s("button",{type:"button",class:"primary",onClick:l,children:"Download"})," ",r&&s("span",{role:"alert",children:r})]}),s("dl",{class:"facts",children:[s("dt",{children:"Type"}),s("dd",{children:[o.type," ",s("span",{class:"muted",children:["(",o.mimeType,")"]})]}),s("dt",{children:"Key"}),s("dd",{children:o.key?s(Y,{href:ie.key(o.key),children:o.key}):"—"}),s("dt",{children:"Version"}),s("dd",{children:[o.version??"—"," ",o.isLatest&&o.key&&s("span",{class:"tag",children:"latest"})]}),s("dt",{children:"Status"}),s("dd",{children:s(nt,{value:o.status})}),s("dt",{children:"Category"}),s("dd",{children:o.category??"—"}),s("dt",{children:"Size"}),s("dd",{children:or(o.sizeBytes)}),s("dt",{children:"sha256"}),s("dd",{children:s("code",{class:"hash",children:o.sha256})}),s("dt",{children:"Run"}),s("dd",{children:o.workflowRun?s(Y,{href:ie.run(o.workflowRun.id),children:o.workflowRun.name??o.workflowRun.id}):"—"}),s("dt",{children:"Workflow"}),s("dd",{children:o.workflow?s(Y,{href:ie.workflow(o.workflow.id),children:o.workflow.name}):"—"}),s("dt",{children:"Job run"}),s("dd",{children:o.jobRun?s(Y,{href:ie.job(o.jobRun.id),children:o.jobRun.name??o.jobRun.id}):"—"}),s("dt",{children:"Created"}),s("dd",{children:[Ne(o.createdAt)," by ",o.createdBy]})]}),o.description&&s(Pe,{children:[s("h2",{children:"Description"}),s(gr,{source:o.description})]}),s("h2",{children:"Preview"}),s("div",{class:"preview",children:s(Cl,{id:o.id,type:o.type,name:o.displayName,data:o.data,preview:o.preview})}),s("h2",{children:"Metadata"}),s("div",{class:"json",children:s(Lt,{value:o.metadata})}),o.key&&s(Pe,{children:[s("h2",{children:["Versions (",o.versions.totalCount,")"]}),s("p",{children:s(Y,{href:ie.key(o.key),children:["Compare versions of ",o.key]})}),s(bt,{artifacts:o.versions.nodes,caption:`Versions of ${o.key}`,empty:"No other version."}),s(Me,{label:"Versions",page:t.page,hasNext:o.versions.pageInfo.hasNextPage,onNext:()=>t.next(o.versions.pageInfo.endCursor),onPrev:t.prev})]})]})}function Fl(e){const t=Ce(ii,{id:e.before}),n=Ce(ii,{id:e.after});if(t.error)return s(De,{error:t.error});if(n.error)return s(De,{error:n.error});if(!t.data?.artifact||!n.data?.artifact)return s(it,{});const r=ti(t.data.artifact),i=ti(n.data.artifact),o=t.data.artifact.preview?.truncated||n.data.artifact.preview?.truncated;return s("div",{class:"diff-view","aria-live":"polite",children:[o&&s("p",{class:"muted",children:"Large files: only their first 256 KB are compared."}),r.kind==="table"&&i.kind==="table"?s(cs,{before:r,after:i}):s(as,{before:r.text,after:i.text})]})}function jl(e){const t=Ke(),n=Ce(Ks,{key:e.lineage,after:t.after}),[r,i]=q(""),[o,a]=q("");if(n.error)return s(De,{error:n.error});if(!n.data)return s(it,{});const l=n.data.artifacts.nodes;if(l.length===0)return s(Mt,{what:`Key ${e.lineage}`});const f=r||(l[1]??l[0]).id,u=o||l[0].id;return s("section",{children:[s("h1",{children:["Key ",e.lineage]}),s("h2",{children:["Timeline (",n.data.artifacts.totalCount," versions)"]}),s("ol",{class:"timeline",children:l.map(p=>s("li",{children:[s(Y,{href:ie.artifact(p.id),children:["v",p.version," ",p.displayName]})," ",s("span",{class:"muted",children:[p.type,", ",or(p.sizeBytes),", ",Ne(p.createdAt)]}),p.isLatest&&s("span",{class:"tag",children:"latest"}),p.workflowRun&&s(Pe,{children:[" ","from ",s(Y,{href:ie.run(p.workflowRun.id),children:p.workflowRun.name??p.workflowRun.id})]})]},p.id))}),s(Me,{label:"Versions",page:t.page,hasNext:n.data.artifacts.pageInfo.hasNextPage,onNext:()=>t.next(n.data?.artifacts.pageInfo.endCursor),onPrev:t.prev}),s("h2",{children:"Compare two versions"}),s("form",{class:"filters",onSubmit:p=>p.preventDefault(),children:[s("label",{children:["From"," ",s("select",{value:f,onChange:p=>i(p.currentTarget.value),children:l.map(p=>s("option",{value:p.id,children:["v",p.version]},p.id))})]}),s("label",{children:["To"," ",s("select",{value:u,onChange:p=>a(p.currentTarget.value),children:l.map(p=>s("option",{value:p.id,children:["v",p.version]},p.id))})]})]}),s(Fl,{before:f,after:u})]})}Wi();function ql(e){const[t,n]=q("");return s("main",{id:"main",class:"signin",children:[s("h1",{children:"Sign in to Cairn"}),e.message&&s("p",{class:"error",role:"alert",children:e.message}),s("form",{onSubmit:r=>{r.preventDefault(),t.trim()&&(Qo(t),e.onSignIn())},children:[s("label",{for:"token",children:"Access token (JWT)"}),s("textarea",{id:"token",rows:5,value:t,autocomplete:"off",spellcheck:!1,onInput:r=>n(r.currentTarget.value)}),s("button",{type:"submit",class:"primary",children:"Sign in"})]}),s("p",{class:"muted",children:["Run ",s("code",{children:"cairn token --org ORG"})," for a token, or open the link ",s("code",{children:"cairn serve"})," ","prints. The token stays in this tab only (session storage)."]})]})}function Hl(){const e=ss(Vi());switch(e.page){case"home":return s(Ol,{});case"workflow":return s(Ml,{id:e.id},e.id);case"run":return s(Ul,{id:e.id},e.id);case"job":return s(zl,{id:e.id},e.id);case"artifact":return s(Bl,{id:e.id},e.id);case"key":return s(jl,{lineage:e.key},e.key);default:return s("section",{children:[s("h1",{children:"Page not found"}),s(Y,{href:"/",children:"Back to the start page"})]})}}function Wl(){const e=Ce(Us,{}),t=Vi();return xt(()=>{const n=document.querySelector("h1");document.title=n?.textContent?`${n.textContent} · Cairn`:"Cairn"}),s(Pe,{children:[s("a",{class:"skip",href:"#main",children:"Skip to content"}),s("header",{children:s("nav",{"aria-label":"Main",children:[s(Y,{href:"/",class:"brand",children:"Cairn"}),s("span",{class:"muted org",children:e.data?`${e.data.viewer.organizationId} · ${e.data.viewer.subject}`:""}),s("a",{href:"/graphql",children:"GraphiQL"}),s("button",{type:"button",onClick:()=>Vn(null),children:"Sign out"})]})}),s("main",{id:"main",tabIndex:-1,"data-path":t,children:[e.error&&e.error.code!=="UNAUTHENTICATED"&&s(De,{error:e.error}),s(Hl,{})]})]})}function Gl(){const[e,t]=q(sn()!==null),[n,r]=q(null);return xt(()=>{Jo(o=>{r(o),t(!1)});const i=()=>{window.location.hash.startsWith("#token=")&&(Wi(),sn()&&(r(null),t(!0)))};return window.addEventListener("hashchange",i),()=>window.removeEventListener("hashchange",i)},[]),e?s(Wl,{}):s(ql,{message:n,onSignIn:()=>{r(null),t(!0)}})}qo(s(Gl,{}),document.getElementById("app"));
