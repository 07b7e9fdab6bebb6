// The designer page: one Elsa Studio custom element at a time, chosen by the path under /designer:
//   /designer/ or /designer/flows    the flow list         /designer/flows/{definitionId}  the editor of one flow
//   /designer/runs                   the runs              /designer/runs/{instanceId}     one run
// The operator key entered at sign-in lives in this tab's sessionStorage and goes to Studio as api-key, which Studio
// sends as "Authorization: ApiKey <key>" on every call to /elsa/api.
(function () {
    'use strict';
    const key = sessionStorage.getItem('designer.apiKey');
    if (!key) {
        location.replace('/designer/login?return=' + encodeURIComponent(location.pathname));
        return;
    }

    const endpoint = location.origin + '/elsa/api';
    const base = '/designer/';

    // Studio's elements exist once Blazor has started; a property set before that would be lost when the element upgrades.
    function listen(el, property, handler) {
        customElements.whenDefined(el.localName).then(() => { el[property] = handler; });
    }

    function element(tag, attributes) {
        const el = document.createElement(tag);
        el.setAttribute('remote-endpoint', endpoint);
        el.setAttribute('api-key', key);
        for (const [name, value] of Object.entries(attributes || {})) el.setAttribute(name, value);
        return el;
    }

    function route(path) {
        const parts = path.replace(/^\/designer\/?/, '').split('/').filter(p => p.length > 0).map(decodeURIComponent);
        if (parts[0] === 'runs' && parts.length > 1) return { view: 'runs', title: 'Run ' + parts[1], make: () => {
            const el = element('elsa-workflow-instance-viewer', { 'instance-id': parts[1] });
            listen(el, 'editWorkflowDefinition', id => navigate('flows/' + encodeURIComponent(id)));
            return el;
        } };
        if (parts[0] === 'runs') return { view: 'runs', title: 'Runs', make: () => {
            const el = element('elsa-workflow-instance-list');
            listen(el, 'viewWorkflowInstance', id => navigate('runs/' + encodeURIComponent(id)));
            return el;
        } };
        if (parts[0] === 'flows' && parts.length > 1) return { view: 'flows', title: parts[1], make: () =>
            element('elsa-workflow-definition-editor', { 'definition-id': parts[1] }) };
        return { view: 'flows', title: 'Flows', make: () => {
            const el = element('elsa-workflow-definition-list');
            listen(el, 'editWorkflowDefinition', id => navigate('flows/' + encodeURIComponent(id)));
            return el;
        } };
    }

    function show() {
        const target = route(location.pathname);
        document.getElementById('designer-view').replaceChildren(target.make());
        document.getElementById('designer-where').textContent = target.title;
        document.title = target.title + ' · Integration Host designer';
        for (const link of document.querySelectorAll('nav a')) link.classList.toggle('active', link.dataset.view === target.view);
    }

    // Each view is a page load of its own: Studio's elements share page-wide providers (theme, popovers, dialogs), and
    // swapping one element for another in place leaves the next one half-initialised. The files come from the cache.
    function navigate(relative) {
        location.assign(base + relative);
    }

    document.addEventListener('submit', e => {
        if (e.target.classList.contains('designer-signout')) sessionStorage.removeItem('designer.apiKey');
    });
    document.addEventListener('DOMContentLoaded', show);
})();
