// The app shell of a logged-in user: top bar, navigation by permission,
// the current screen, and the lock overlay laid over it (never replacing it).

import { html } from '../html';
import { useApp } from '../app';
import * as api from '../api';
import { isClinicalTab, navigate, parseRoute, useRoute, type Route } from '../router';
import { useIdleLock } from '../idle';
import { clearToasts, reportError } from '../components/toast';
import { rolesText } from '../format';
import { LockScreen } from './lockScreen';
import { endSession } from '../logout';
import { PatientSearch } from './search';
import { RegisterPatient } from './register';
import { PatientScreen } from './patient';
import { UsersScreen } from './users';
import { SettingsScreen } from './settings';
import { AuditScreen } from './audit';
import { DisclosuresScreen } from './disclosures';
import { ScheduleScreen } from './schedule';
import { WaitlistScreen } from './waitlist';
import { BillingSetupScreen } from './billingSetup';
import { FlowBoardScreen } from './flowboard';
import { SchedulingSetupScreen } from './schedulingSetup';
import { EmergencyScreen } from './emergency';
import { AccountScreen } from './account';
import { TemplatesScreen } from './chart/templates';
import { Forbidden } from '../components/forbidden';
import {
  IconAlert,
  IconAudit,
  IconMail,
  IconLock,
  IconLogout,
  IconSearch,
  IconSettings,
  IconUserPlus,
  IconUsers,
  Logo,
  IconCalendar, IconDollar,
  IconClock,
  IconList,
} from '../components/icons';
import { useEffect, useRef } from 'preact/hooks';
import { flushPending } from '../flush';
import { clearReferenceData, referenceData } from '../reference';

interface NavItem {
  href: string;
  label: string;
  testid: string;
  icon: () => unknown;
  active: (r: Route) => boolean;
  allowed: boolean;
}

export function Shell(p: { locked: boolean; onLock: () => void }) {
  const app = useApp();
  const { session, status } = app;
  const route = useRoute();

  // Unsaved work (a note's draft) reaches the backend before the lock;
  // the idle timer calls this every second while idle, so only once at a time.
  const locking = useRef(false);
  const lockNow = async () => {
    if (locking.current) return;
    locking.current = true;
    try {
      await flushPending();
      clearToasts();
      p.onLock();
      await api.lockSession().catch(reportError);
    } finally {
      locking.current = false;
    }
  };
  useIdleLock(session.idle_lock_seconds, p.locked, () => void lockNow());

  // A clinician's first chart needs the reference lists, whose first load
  // takes the backend about half a second (it parses the code sets): ask
  // for them at login, so that the first chart opened does not wait.
  useEffect(() => {
    if (app.can('clinical_read')) referenceData().catch(() => undefined);
  }, [session.user.id]);

  const logout = () =>
    endSession({
      flush: () => (p.locked ? Promise.resolve() : flushPending()),
      cover: p.onLock,
      logout: api.logout,
      report: reportError,
      forget: () => {
        clearToasts();
        clearReferenceData();
        location.hash = '';
      },
      refresh: app.refresh,
    });

  const nav: NavItem[] = [
    {
      href: '#/patients',
      label: 'Patients',
      testid: 'nav-patients',
      icon: IconSearch,
      active: (r) => r.name === 'patients' || r.name === 'patient' || r.name === 'templates',
      allowed: app.can('patient_read'),
    },
    {
      href: '#/today',
      label: 'Today',
      testid: 'nav-today',
      icon: IconClock,
      active: (r) => r.name === 'today',
      allowed: app.can('schedule_read'),
    },
    {
      href: '#/schedule',
      label: 'Schedule',
      testid: 'nav-schedule',
      icon: IconCalendar,
      active: (r) => r.name === 'schedule',
      allowed: app.can('schedule_read'),
    },
    {
      href: '#/waitlist',
      label: 'Waitlist',
      testid: 'nav-waitlist',
      icon: IconList,
      active: (r) => r.name === 'waitlist',
      allowed: app.can('schedule_read'),
    },
    {
      href: '#/register',
      label: 'Register patient',
      testid: 'nav-register',
      icon: IconUserPlus,
      active: (r) => r.name === 'register',
      allowed: app.can('patient_write'),
    },
    {
      href: '#/emergency',
      label: 'Emergency access',
      testid: 'nav-emergency',
      icon: IconAlert,
      active: (r) => r.name === 'emergency',
      allowed: session.user.can_emergency_access,
    },
  ];
  const adminNav: NavItem[] = [
    {
      href: '#/admin/users',
      label: 'Users',
      testid: 'nav-admin-users',
      icon: IconUsers,
      active: (r) => r.name === 'users',
      allowed: app.can('user_admin'),
    },
    {
      href: '#/admin/settings',
      label: 'Settings',
      testid: 'nav-admin-settings',
      icon: IconSettings,
      active: (r) => r.name === 'settings',
      allowed: app.can('settings_admin'),
    },
    {
      href: '#/admin/audit',
      label: 'Audit log',
      testid: 'nav-admin-audit',
      icon: IconAudit,
      active: (r) => r.name === 'audit',
      allowed: app.can('audit_read'),
    },
    {
      href: '#/admin/disclosures',
      label: 'Disclosure log',
      testid: 'nav-admin-disclosures',
      icon: IconMail,
      active: (r) => r.name === 'disclosures',
      allowed: app.can('disclosure_report'),
    },
    {
      href: '#/admin/scheduling',
      label: 'Calendars',
      testid: 'nav-admin-scheduling',
      icon: IconCalendar,
      active: (r) => r.name === 'scheduling',
      allowed: app.can('schedule_setup'),
    },
    {
      href: '#/admin/billing',
      label: 'Billing',
      testid: 'nav-admin-billing',
      icon: IconDollar,
      active: (r) => r.name === 'billing',
      allowed: app.can('billing_setup') || app.can('close_day') || app.can('statements'),
    },
  ];
  const main = nav.filter((n) => n.allowed);
  const admin = adminNav.filter((n) => n.allowed);
  const home = [...main, ...admin][0]?.href ?? '#/account';

  // `#/` goes to the first screen this user may use, only if the address
  // is still `#/` when the effect runs (a frame after the render): a user
  // who has meanwhile gone elsewhere (a link, a typed address, the front
  // desk to `#/patient/1/notes` in clinical_chart.rs) stays there. An
  // effect, not a layout effect: `useRoute` subscribes to `hashchange` in
  // an effect, and a redirect made before that was missed (blank screen).
  useEffect(() => {
    if (route.name === 'home' && parseRoute(location.hash).name === 'home') navigate(home);
  }, [route.name, home]);

  const navLink = (n: NavItem) =>
    html`<a
      key=${n.testid}
      href=${n.href}
      class=${`nav-link ${n.active(route) ? 'active' : ''}`}
      aria-current=${n.active(route) ? 'page' : undefined}
      data-testid=${n.testid}
      >${n.icon()}<span>${n.label}</span></a
    >`;

  return html`<div class="shell">
    <header class="topbar" inert=${p.locked} aria-hidden=${p.locked ? 'true' : undefined}>
      <div class="brand">
        <${Logo} />
        <div class="brand-text">
          <span class="brand-product">Chartroom</span>
          <span class="brand-practice" data-testid="practice-name">${status.practice_name ?? ''}</span>
        </div>
      </div>
      <div class="topbar-spacer"></div>
      ${session.emergency_mrn
        ? html`<div class="emergency-pill" title="Emergency access in force">
            ${IconAlert()} Emergency access: MRN ${session.emergency_mrn}
          </div>`
        : null}
      <a class="current-user" href="#/account" data-testid="current-user" title="Your account">
        <span class="avatar" aria-hidden="true">${initials(session.user.full_name)}</span>
        <span class="current-user-text">
          <span class="current-user-name">${session.user.full_name}${session.user.credentials ? `, ${session.user.credentials}` : ''}</span>
          <span class="current-user-roles">${rolesText(session.user.roles)}</span>
        </span>
      </a>
      <button type="button" class="btn btn-topbar" data-testid="lock-now" onClick=${() => void lockNow()} title="Lock the screen now">
        ${IconLock()}<span>Lock</span>
      </button>
      <button type="button" class="btn btn-topbar" data-testid="logout" onClick=${logout}>
        ${IconLogout()}<span>Log out</span>
      </button>
    </header>
    <div class="shell-body" inert=${p.locked} aria-hidden=${p.locked ? 'true' : undefined}>
      <nav class="sidenav" aria-label="Main">
        ${main.map(navLink)}
        ${admin.length
          ? html`<div class="nav-section">Administration</div>
              ${admin.map(navLink)}`
          : null}
        <div class="nav-foot">
          <div data-testid="idle-lock-info">Idle lock after ${idleText(session.idle_lock_seconds)}</div>
        </div>
      </nav>
      <main class="content" id="main">
        <${Screen} route=${route} />
      </main>
    </div>
    ${p.locked ? html`<${LockScreen} onLogout=${logout} />` : null}
  </div>`;
}

/** The idle lock delay for the sidebar: seconds under a minute, else minutes. */
function idleText(seconds: number): string {
  if (seconds < 60) return `${seconds} sec`;
  const min = Math.round(seconds / 60);
  return `${min} min`;
}

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const a = parts[0]?.[0] ?? '';
  const b = parts.length > 1 ? parts[parts.length - 1]![0] : '';
  return (a + (b ?? '')).toUpperCase();
}

/** The screen for a route, or `forbidden` when this user may not use it. */
function Screen(p: { route: Route }) {
  const app = useApp();
  const r = p.route;
  const guard = (allowed: boolean, screen: unknown) => (allowed ? screen : html`<${Forbidden} />`);
  switch (r.name) {
    case 'home':
      return null;
    case 'patients':
      return guard(app.can('patient_read'), html`<${PatientSearch} />`);
    case 'register':
      return guard(app.can('patient_write'), html`<${RegisterPatient} />`);
    case 'patient':
      // Emergency access lets a user without patient_read see one chart
      // (its clinical tabs too); the backend decides which. Others need
      // clinical_read for the clinical tabs (checked again once the chart
      // is open, for emergency access).
      return guard(
        (app.can('patient_read') || !!app.session.emergency_mrn) &&
          (!isClinicalTab(r.tab) || app.can('clinical_read') || !!app.session.emergency_mrn),
        html`<${PatientScreen} key=${r.id} id=${r.id} tab=${r.tab} noteId=${r.noteId} />`,
      );
    case 'templates':
      return guard(app.can('clinical_read'), html`<${TemplatesScreen} />`);
    case 'users':
      return guard(app.can('user_admin'), html`<${UsersScreen} />`);
    case 'settings':
      return guard(app.can('settings_admin'), html`<${SettingsScreen} />`);
    case 'audit':
      return guard(app.can('audit_read'), html`<${AuditScreen} />`);
    case 'disclosures':
      return guard(app.can('disclosure_report'), html`<${DisclosuresScreen} />`);
    case 'schedule':
      return guard(app.can('schedule_read'), html`<${ScheduleScreen} day=${r.day} />`);
    case 'today':
      return guard(app.can('schedule_read'), html`<${FlowBoardScreen} />`);
    case 'waitlist':
      return guard(app.can('schedule_read'), html`<${WaitlistScreen} />`);
    case 'scheduling':
      return guard(app.can('schedule_setup'), html`<${SchedulingSetupScreen} />`);
    case 'billing':
      return guard(app.can('billing_setup') || app.can('close_day'), html`<${BillingSetupScreen} />`);
    case 'emergency':
      return guard(app.session.user.can_emergency_access, html`<${EmergencyScreen} />`);
    case 'account':
      return html`<${AccountScreen} />`;
    case 'unknown':
      return html`<div class="panel empty-panel"><h1>Page not found</h1><p>There is no screen at “${r.path}”.</p></div>`;
  }
}
