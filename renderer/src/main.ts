import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import { connectApi } from './api'
import { setApi } from './api/current'
import { media } from './media/engine'
import './styles.css'

setApi(connectApi())
media.attach()
createApp(App).use(createPinia()).mount('#app')
