import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import { connectApi } from './api'
import { setApi } from './api/current'
import { media } from './media/engine'
import './styles.css'
import { isIncomingWindow } from './window-role'

setApi(connectApi())
// the small incoming-call window gets the same events: only the main window owns media
if (!isIncomingWindow()) media.attach()
createApp(App).use(createPinia()).mount('#app')
